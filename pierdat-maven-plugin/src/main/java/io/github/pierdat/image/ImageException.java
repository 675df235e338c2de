package io.github.pierdat.image;

/**
 * Building or pushing an image failed. The message says what failed, with which value, and what to do; it
 * never contains credentials.
 */
public class ImageException extends Exception {

  private static final long serialVersionUID = 1L;

  public ImageException(String message) {
    super(message);
  }

  public ImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
