package io.github.pierdat.it.jibapp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.hash.Hashing;
import com.google.common.io.Files;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** Prints one JSON line about the data file named by its argument, then runs until stopped. */
public final class DataApp {

  public static void main(String[] args) throws Exception {
    File file = new File(args[0]);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("path", file.getPath());
    report.put("size", file.length());
    report.put("sha256", Files.asByteSource(file).hash(Hashing.sha256()).toString());
    report.put("greeting", System.getProperty("app.greeting"));
    report.put("mode", System.getenv("APP_MODE"));
    // Where the app's Guava and Jackson came from: its own jars, whatever the agent carries.
    report.put("guava", Hashing.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    report.put("jackson", ObjectMapper.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    System.out.println("DATA-APP " + new ObjectMapper().writeValueAsString(report));
    System.out.flush();

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("DATA-APP stopping");
      System.out.flush();
    }));
    stopped.await();
  }
}
