import groovy.json.JsonSlurper
def pierDat = new JsonSlurper().parse(new File(basedir, 'target/pierdat/pier.dat'))
assert pierDat.version == 1
assert pierDat.artifacts.size() == 1
def a = pierDat.artifacts[0]
assert a.path == '/data/data.txt'
assert a.sha256 == 'f7001943c21db5df0ea309d6d23bf9f1cf8ca5ad32db8c7c3883e76664016450'
assert a.size == new File(basedir, 'data.txt').length()
assert a.seeds.find { it.backend == 'http' }.params.path == '/artifacts/f7001943c21db5df0ea309d6d23bf9f1cf8ca5ad32db8c7c3883e76664016450'
def log = new File(basedir, 'build.log').text
assert log.contains('f7001943c21db5df0ea309d6d23bf9f1cf8ca5ad32db8c7c3883e76664016450')
