/**
 * Builds pierdat images with jib-core.
 *
 * <p>{@link io.github.pierdat.image.ImageAssembler} reads the base image's command, then writes the base
 * image plus the {@link io.github.pierdat.image.ImageContents}: one layer per artifact (the file at its
 * declared path, 0444, root-owned, fixed time; directories per {@link io.github.pierdat.image.DirectoryPolicy}),
 * a layer with the agent jar at {@code /opt/pierdat/pierdat-agent.jar}, a layer with {@code /etc/pier.dat},
 * the {@link io.github.pierdat.image.ImageLabels}, the agent as ENTRYPOINT and the base image's CMD as CMD.
 * {@link io.github.pierdat.image.PierdatLayers} builds the layers; the Jib plugin extension reuses it so both
 * paths give identical layers.
 */
package io.github.pierdat.image;
