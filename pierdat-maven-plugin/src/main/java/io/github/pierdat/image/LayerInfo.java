package io.github.pierdat.image;

/**
 * One layer pierdat added to an image.
 *
 * @param path the artifact's path in the image
 * @param digest the digest of the compressed layer blob ({@code sha256:...}), as in the manifest
 * @param diffId the digest of the uncompressed layer tar ({@code sha256:...}), as in the config
 * @param size the size of the compressed blob in bytes
 */
public record LayerInfo(String path, String digest, String diffId, long size) {}
