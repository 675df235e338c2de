package io.github.pierdat.backend.script;

import io.github.pierdat.json.Json;
import io.github.pierdat.json.JsonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seed commands of a script backend: what its get script prints on stdout, one command per line,
 * kept as argument lists and never given to a shell.
 *
 * <p>A line is split into words at spaces and tabs; {@code '...'} and {@code "..."} group words with
 * spaces (the quotes are removed). Nothing else is special: {@code ;}, {@code |}, {@code $(...)},
 * backquotes, {@code *} and backslashes are passed on as they are. Empty lines and lines starting with
 * {@code #} are skipped.
 *
 * <p>In pier.dat each command is one parameter of the seed entry, {@code command.<i>} (from 0), whose value
 * is a JSON array of strings: {@code "command.0": "[\"aria2c\",\"--seed-ratio=0.0\",\"/data/x.torrent\"]"}.
 */
public final class SeedCommands {

  /** The prefix of the seed entry parameters that hold commands. */
  public static final String PARAM_PREFIX = "command.";

  private static final Pattern PARAM = Pattern.compile(Pattern.quote(PARAM_PREFIX) + "(\\d{1,6})");

  private SeedCommands() {}

  /**
   * The commands in a get script's output.
   *
   * @throws IllegalArgumentException naming the line and what is wrong (an unclosed quote)
   */
  public static List<List<String>> parse(String output) {
    List<List<String>> commands = new ArrayList<>();
    int number = 0;
    for (String line : output.split("\r?\n", -1)) {
      number++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      try {
        commands.add(words(trimmed));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + number + " '" + trimmed + "': " + e.getMessage(), e);
      }
    }
    return commands;
  }

  /** Splits one line into words (see the class comment). */
  public static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == ' ' || c == '\t') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("the quote " + quote + " is not closed");
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /** The seed entry parameters holding {@code commands}. */
  public static Map<String, String> toParams(List<List<String>> commands) {
    Map<String, String> params = new TreeMap<>();
    for (int i = 0; i < commands.size(); i++) {
      params.put(PARAM_PREFIX + i, Json.write(commands.get(i)));
    }
    return params;
  }

  /**
   * The commands in seed entry parameters, in the order of their numbers; other parameters are ignored.
   *
   * @throws IllegalArgumentException naming the parameter whose value is not a non-empty JSON string array
   */
  public static List<List<String>> fromParams(Map<String, String> params) {
    TreeMap<Integer, List<String>> commands = new TreeMap<>();
    for (Map.Entry<String, String> param : params.entrySet()) {
      Matcher m = PARAM.matcher(param.getKey());
      if (!m.matches()) {
        continue;
      }
      List<String> argv = strings(param.getValue());
      if (argv == null || argv.isEmpty()) {
        throw new IllegalArgumentException("seed parameter " + param.getKey() + " = " + param.getValue()
            + " is not a command: expected a non-empty JSON array of strings such as [\"aria2c\",\"x.torrent\"]");
      }
      commands.put(Integer.parseInt(m.group(1)), argv);
    }
    return new ArrayList<>(commands.values());
  }

  /** The strings of a JSON array of strings, or null if {@code json} is anything else. */
  private static List<String> strings(String json) {
    Object value;
    try {
      value = Json.parse(json);
    } catch (JsonException e) {
      return null;
    }
    if (!(value instanceof List<?> items)) {
      return null;
    }
    List<String> strings = new ArrayList<>();
    for (Object item : items) {
      if (!(item instanceof String s)) {
        return null;
      }
      strings.add(s);
    }
    return List.copyOf(strings);
  }
}
