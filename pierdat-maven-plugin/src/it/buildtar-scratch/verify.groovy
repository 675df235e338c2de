import groovy.json.JsonSlurper
import java.security.MessageDigest
import java.util.zip.GZIPInputStream
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream

def tar = new File(basedir, 'target/pierdat-image.tar')
assert tar.isFile()
// Read the Docker-format image tar: manifest.json -> config + layers.
def entries = [:]
new TarArchiveInputStream(new FileInputStream(tar)).withCloseable { t ->
  def e
  while ((e = t.nextEntry) != null) { entries[e.name] = t.readAllBytes() }
}
def manifest = new JsonSlurper().parse(entries['manifest.json'])[0]
def config = new JsonSlurper().parse(entries[manifest.Config])
assert manifest.Layers.size() == 4 : 'the artifact layer, the torrent layer, the agent layer, the pier.dat layer'
assert config.config.Entrypoint.contains('/opt/pierdat/pierdat-agent.jar')
assert config.config.Labels['io.github.pierdat.artifact.0.path'] == '/data/data.txt'

def files = { layer ->
  def found = [:]
  new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(entries[layer]))).withCloseable { t ->
    def e
    while ((e = t.nextEntry) != null) { if (e.isFile()) found[e.name] = [mode: e.mode & 0777, bytes: t.readAllBytes()] }
  }
  found
}
def data = files(manifest.Layers[0])
assert data.keySet() == ['data/data.txt'] as Set : data.keySet()
assert data['data/data.txt'].mode == 0444
def sha = { bytes -> MessageDigest.getInstance('SHA-256').digest(bytes).encodeHex().toString() }
assert sha(data['data/data.txt'].bytes) == sha(new File(basedir, 'data.txt').bytes)
assert files(manifest.Layers[2]).keySet() == ['opt/pierdat/pierdat-agent.jar'] as Set
def pierDatLayer = files(manifest.Layers[3])
assert pierDatLayer.keySet() == ['etc/pier.dat'] as Set
def pierDat = new JsonSlurper().parse(pierDatLayer['etc/pier.dat'].bytes)
def infohash = pierDat.artifacts[0].seeds.find { it.backend == 'bittorrent' }.params.infohash
assert files(manifest.Layers[1]).keySet() == ["opt/pierdat/torrents/${infohash}.torrent".toString()] as Set
assert pierDat.artifacts[0].sha256 == sha(new File(basedir, 'data.txt').bytes)
