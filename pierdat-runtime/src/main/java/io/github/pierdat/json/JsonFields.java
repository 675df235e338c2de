package io.github.pierdat.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The members of one parsed JSON object, read into a model: each accessor checks the member's type and
 * throws a {@link JsonException} naming the member by its path from the document's root (such as {@code
 * artifacts[2].sha256}), its value and what was expected. A member that is absent reads like one that is
 * {@code null}; members nobody asks for are ignored.
 */
public final class JsonFields {

  private final Map<String, Object> members;
  private final String path;

  private JsonFields(Map<String, Object> members, String path) {
    this.members = members;
    this.path = path;
  }

  /**
   * The root object of a parsed document.
   *
   * @throws JsonException if {@code root} is not an object
   */
  public static JsonFields root(Object root) {
    return of(root, "");
  }

  @SuppressWarnings("unchecked")
  private static JsonFields of(Object value, String path) {
    if (!(value instanceof Map<?, ?>)) {
      throw new JsonException((path.isEmpty() ? "the document" : path) + " is " + Json.describe(value)
          + "; expected an object");
    }
    return new JsonFields((Map<String, Object>) value, path);
  }

  /** Where this object is in the document, such as {@code artifacts[2]}; empty for the root. */
  public String path() {
    return path;
  }

  /** The raw value of a member, or null if absent. */
  public Object get(String name) {
    return members.get(name);
  }

  /** True if the member is present and not null. */
  public boolean has(String name) {
    return members.get(name) != null;
  }

  /** A string member that must be present. */
  public String string(String name) {
    String value = optionalString(name);
    if (value == null) {
      throw missing(name, "a string");
    }
    return value;
  }

  /** A string member, or null if absent or null. */
  public String optionalString(String name) {
    Object value = members.get(name);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw wrong(name, value, "a string");
  }

  /** An integer member from {@code min} to {@code max} that must be present. */
  public long integer(String name, long min, long max) {
    if (!has(name)) {
      throw missing(name, "an integer from " + min + " to " + max);
    }
    return optionalInteger(name, min, max, 0);
  }

  /** An integer member from {@code min} to {@code max}, or {@code absent} if absent or null. */
  public long optionalInteger(String name, long min, long max, long absent) {
    Object value = members.get(name);
    if (value == null) {
      return absent;
    }
    if (!(value instanceof Long n) || n < min || n > max) {
      throw wrong(name, value, "an integer from " + min + " to " + max);
    }
    return n;
  }

  /** A boolean member, or {@code absent} if absent or null. */
  public boolean optionalBoolean(String name, boolean absent) {
    Object value = members.get(name);
    if (value == null) {
      return absent;
    }
    if (!(value instanceof Boolean b)) {
      throw wrong(name, value, "true or false");
    }
    return b;
  }

  /** An array of strings; empty if absent or null. */
  public List<String> strings(String name) {
    List<Object> items = array(name, "an array of strings");
    List<String> strings = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      if (!(items.get(i) instanceof String s)) {
        throw new JsonException(child(name) + "[" + i + "] is " + Json.describe(items.get(i)) + "; expected a string");
      }
      strings.add(s);
    }
    return Collections.unmodifiableList(strings);
  }

  /** An object whose members are all strings, sorted by name; empty if absent or null. */
  public Map<String, String> stringMap(String name) {
    JsonFields object = optionalObject(name);
    Map<String, String> map = new TreeMap<>();
    if (object != null) {
      for (String key : object.members.keySet()) {
        map.put(key, object.string(key));
      }
    }
    return Collections.unmodifiableMap(map);
  }

  /** An object member, or null if absent or null. */
  public JsonFields optionalObject(String name) {
    Object value = members.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Map<?, ?>)) {
      throw wrong(name, value, "an object");
    }
    return of(value, child(name));
  }

  /** An array of objects; empty if absent or null. */
  public List<JsonFields> objects(String name) {
    List<Object> items = array(name, "an array of objects");
    List<JsonFields> objects = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      objects.add(of(items.get(i), child(name) + "[" + i + "]"));
    }
    return objects;
  }

  /**
   * An error about member {@code name} of this object: its path, its value and what was expected, for
   * checks beyond the type (a format, a range).
   */
  public JsonException invalid(String name, String expected) {
    Object value = members.get(name);
    return value == null ? missing(name, expected) : wrong(name, value, expected);
  }

  @SuppressWarnings("unchecked")
  private List<Object> array(String name, String expected) {
    Object value = members.get(name);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?>)) {
      throw wrong(name, value, expected);
    }
    return (List<Object>) value;
  }

  private String child(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private JsonException missing(String name, String expected) {
    return new JsonException(child(name) + " is " + (members.containsKey(name) ? "null" : "missing")
        + "; expected " + expected);
  }

  private JsonException wrong(String name, Object value, String expected) {
    return new JsonException(child(name) + " is " + Json.describe(value) + "; expected " + expected);
  }
}
