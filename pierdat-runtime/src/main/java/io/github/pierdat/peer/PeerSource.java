package io.github.pierdat.peer;

import java.net.URI;

/**
 * One place a peer offers an artifact: {@code http://host:port/artifacts/<sha256>}.
 *
 * @param uri the URL to fetch
 * @param label how logs name the peer: {@code peer 10.0.0.7:7780}, with the {@code dns:} entry it came from
 *     when it was resolved from one
 */
public record PeerSource(URI uri, String label) {}
