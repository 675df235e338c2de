def log = new File(basedir, 'build.log').text
def sha = 'fdee0601c2393c20e9b3c542afd2534a95de7609902ad6c7b29cdcd45d361158'
assert log.contains('no <sha256>') : 'explains what is missing'
assert log.contains('<sha256>' + sha + '</sha256>') : 'prints the sha256 of the fetched bytes, ready to pin'
