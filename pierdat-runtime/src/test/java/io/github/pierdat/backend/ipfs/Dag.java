package io.github.pierdat.backend.ipfs;

import io.github.pierdat.backend.ipfs.car.CarWriter;
import io.github.pierdat.backend.ipfs.cid.Cid;
import io.github.pierdat.backend.ipfs.gateway.GatewayResponse;
import io.github.pierdat.backend.ipfs.gateway.TrustlessGateway;
import io.github.pierdat.backend.ipfs.unixfs.ImportedBlock;
import io.github.pierdat.backend.ipfs.unixfs.UnixFsImporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A file imported with kubo's defaults, with its blocks: for a one-level DAG (up to 174 chunks) the
 * depth-first order is the root, then the leaves in file order.
 */
record Dag(Path file, Cid root, List<ImportedBlock> leaves, byte[] rootNode) {

  static Dag of(Path file) throws IOException {
    List<ImportedBlock> blocks = new ArrayList<>();
    Cid root = UnixFsImporter.kuboDefaults().importFile(file, blocks::add);
    List<ImportedBlock> leaves = blocks.stream().filter(b -> b.kind() != ImportedBlock.Kind.INTERIOR).toList();
    ImportedBlock last = blocks.get(blocks.size() - 1);
    if (blocks.size() - leaves.size() > 1) {
      throw new IllegalArgumentException("Dag is for one-level DAGs; use a smaller file");
    }
    return new Dag(file, root, leaves, last.kind() == ImportedBlock.Kind.INTERIOR ? last.node() : null);
  }

  /** The encoded dag-pb leaf {@code i}. */
  byte[] leafBlock(int i) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ImportedBlock leaf = leaves.get(i);
    return UnixFsImporter.fileLeaf(bytes, (int) leaf.offset(), (int) leaf.length());
  }

  /** Byte offset, in the depth-first CAR of the root, where the section of leaf {@code i} starts. */
  long carSectionStart(int i) {
    long pos = CarWriter.headerLength(List.of(root)) + CarWriter.sectionLength(root, rootNode.length);
    for (int j = 0; j < i; j++) {
      pos += CarWriter.sectionLength(leaves.get(j).cid(), UnixFsImporter.fileLeafLength((int) leaves.get(j).length()));
    }
    return pos;
  }

  /** Byte length of leaf {@code i}'s CAR section. */
  long carSectionLength(int i) {
    return CarWriter.sectionLength(leaves.get(i).cid(), UnixFsImporter.fileLeafLength((int) leaves.get(i).length()));
  }

  /** The CAR a trustless gateway serves for the root. */
  byte[] car() throws IOException {
    TrustlessGateway gateway = TrustlessGateway.builder().file(root, file).build();
    GatewayResponse response = gateway.respond("GET", URI.create("/ipfs/" + root + "?format=car"), null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    response.writeBody(out);
    return out.toByteArray();
  }
}
