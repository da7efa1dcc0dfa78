package dev.vouch.bench;

import java.nio.file.Path;

/** What every generator's options have: where to write, and a line that tells data sets apart. */
interface DataSetOptions {

  /** The output directory. */
  Path out();

  /** The options as one line, recorded in the marker file and in expected-summary.txt. */
  String describe();
}
