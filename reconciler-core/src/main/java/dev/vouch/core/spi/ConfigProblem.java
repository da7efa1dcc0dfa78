package dev.vouch.core.spi;

/**
 * One problem in a configuration file.
 *
 * @param path where, as a dotted path with list indexes ({@code sources[0].path})
 * @param message what is wrong and what is expected
 */
public record ConfigProblem(String path, String message) {
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
