// Fetches a UnixFS file by CID from one trustless gateway with Helia, which verifies every block against
// its CID, and writes the file. Nothing else is asked: no delegated routing, no public gateways, no libp2p.
// Usage: node --require ./with-resolvers.cjs fetch-from-gateway.mjs GATEWAY_URL CID OUT_FILE
import { createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { createHeliaLight } from 'helia'
import { trustlessGatewayBlockBroker } from '@helia/trustless-gateway-client'
import { fallbackRouter } from '@helia/fallback-router'
import { unixfs } from '@helia/unixfs'
import { CID } from 'multiformats/cid'

const [gateway, cidText, out] = process.argv.slice(2)
if (gateway == null || cidText == null || out == null) {
  console.error('usage: fetch-from-gateway.mjs GATEWAY_URL CID OUT_FILE')
  process.exit(2)
}
// The gateway as the only content router. Not as a 'fallback' router: Helia 7's routing never finishes a
// lookup that has fallback routers only (it waits for default routers that do not exist).
const fallback = fallbackRouter({ gateways: [gateway], shuffle: false })
const gatewayRouter = {
  name: 'test-gateway',
  findProviders: (cid, options) => fallback.findProviders(cid, options)
}
const helia = createHeliaLight({
  blockBrokers: [trustlessGatewayBlockBroker({ allowInsecure: true, allowLocal: true })],
  routers: [gatewayRouter]
})
await helia.start()
try {
  const fs = unixfs(helia)
  const cid = CID.parse(cidText)
  await pipeline(Readable.from(fs.cat(cid, { signal: AbortSignal.timeout(120000) })), createWriteStream(out))
  const stat = await fs.stat(cid)
  console.log(JSON.stringify({ cid: cid.toString(), size: Number(stat.fileSize ?? stat.size) }))
} finally {
  await helia.stop()
}
