def log = new File(basedir, 'build.log').text
assert log.contains('9f44972892fae371d19effd1a313ee8afd336f61e77439733d4aa507b3453318') : 'names the missing sha256'
assert log.contains('data.txt') : 'names the artifact'
assert log.contains('without -o') : 'says how to fill the cache'
assert !new File(basedir, 'target/empty-cache/sha256/9f44972892fae371d19effd1a313ee8afd336f61e77439733d4aa507b3453318').exists()
