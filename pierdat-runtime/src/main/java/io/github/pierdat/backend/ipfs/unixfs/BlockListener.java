package io.github.pierdat.backend.ipfs.unixfs;

import java.io.IOException;

/** Receives each block as the importer produces it: leaves in file order, each interior node after its children. */
@FunctionalInterface
public interface BlockListener {

  void block(ImportedBlock block) throws IOException;
}
