/**
 * The BitTorrent backend: fetching artifacts from a swarm ({@link io.github.pierdat.backend.bittorrent.BitTorrentBackend}),
 * deterministic torrents of artifacts ({@link io.github.pierdat.backend.bittorrent.TorrentFiles}), and seeding them
 * read-only from one port ({@link io.github.pierdat.backend.bittorrent.BitTorrentSeeder}). Sub-packages: {@code bencode}
 * (strict BEP 3 encoding), {@code metainfo} (torrent files, magnet links, piece hashing) and {@code engine} (the
 * bt-core wiring and its fixes).
 */
package io.github.pierdat.backend.bittorrent;
