package io.github.pierdat.backend.http.server;

import io.github.pierdat.PierdatVersion;
import io.github.pierdat.backend.SeedContext;
import io.github.pierdat.backend.SeederStatus;
import io.github.pierdat.json.Json;
import io.github.pierdat.manifest.ArtifactEntry;
import io.github.pierdat.manifest.SeedEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON answer to {@code GET /}: every artifact of the image (name, path, size, sha256, the URL this
 * seeder serves it at, the seeds of all backends) and the state of every seeder.
 */
final class StatusDocument {

  private StatusDocument() {}

  static byte[] render(ArtifactRoutes routes, SeedContext context) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("pierdat", PierdatVersion.get());
    if (context.settings().advertise() != null) {
      doc.put("advertise", context.settings().advertise());
    }
    List<Object> artifacts = new ArrayList<>();
    for (ArtifactEntry entry : context.allArtifacts()) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("name", entry.name());
      a.put("path", entry.path());
      a.put("size", entry.size());
      a.put("sha256", entry.sha256());
      String url = routes.all().stream()
          .filter(s -> s.entry().path().equals(entry.path()))
          .map(ServedArtifact::url)
          .findFirst()
          .orElse(null);
      a.put("url", url);
      List<Object> seeds = new ArrayList<>();
      for (SeedEntry seed : entry.seeds()) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("backend", seed.backend());
        s.put("params", seed.params());
        seeds.add(s);
      }
      a.put("seeds", seeds);
      artifacts.add(a);
    }
    doc.put("artifacts", artifacts);
    List<Object> seeders = new ArrayList<>();
    for (SeederStatus status : context.metrics().seeders()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("backend", status.backend());
      s.put("state", status.state());
      s.put("restarts", status.restarts());
      if (!status.detail().isEmpty()) {
        s.put("detail", status.detail());
      }
      seeders.add(s);
    }
    doc.put("seeders", seeders);
    return Json.writePretty(doc).getBytes(StandardCharsets.UTF_8);
  }
}
