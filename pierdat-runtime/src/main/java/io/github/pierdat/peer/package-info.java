/**
 * Peers: other pierdat agents asked for an artifact before its declared sources ("pier to pier"). {@link
 * io.github.pierdat.peer.PeerAddress} reads the peer forms every entry point accepts; {@link
 * io.github.pierdat.peer.Peers} turns them into sources for one artifact and sets how peers are asked.
 */
package io.github.pierdat.peer;
