/**
 * Backends made of executables on the PATH, compatible with the original pierdat shell scripts
 * ({@code pierdat-check-<name>}, {@code pierdat-get-<name>}, optional {@code pierdat-seed-<name>}): found by
 * {@link io.github.pierdat.backend.script.ScriptBackendProvider}, each named {@code script:<name>}. What a
 * get script prints is stored as argument lists ({@link io.github.pierdat.backend.script.SeedCommands}) and
 * run at run time under the agent's watchdog, never through a shell.
 */
package io.github.pierdat.backend.script;
