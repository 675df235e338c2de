package io.github.pierdat.json;

/**
 * A JSON document that is not JSON (the message says the line and column, what was expected and what was
 * found) or whose values do not have the expected shape (the message names the field by its path, e.g.
 * {@code artifacts[2].sha256}, its value and what was expected).
 */
public class JsonException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public JsonException(String message) {
    super(message);
  }
}
