package dev.vouch.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.core.json.Json;
import dev.vouch.testkit.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import picocli.CommandLine;

/**
 * A Vouch installation in a temporary folder for end-to-end tests: a configuration, a CloudTrail
 * trail in the S3 layout, a change log, a store, and the command line run against a clock the test
 * moves.
 */
final class Workbench {
  static final String PAYMENTS = "111122223333";
  static final String REGION = "eu-west-1";

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY_FOLDER =
      DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

  record Result(int exitCode, String out, String err) {
    String all() {
      return out + err;
    }
  }

  final Path dir;
  final MutableClock clock;
  private int files;

  Workbench(Path dir, Instant now) throws IOException {
    this.dir = dir;
    this.clock = MutableClock.at(now);
    Files.createDirectories(trail());
    changeLog("");
    config("");
  }

  Path trail() {
    return dir.resolve("trail");
  }

  Path config() {
    return dir.resolve("vouch.yaml");
  }

  Path store() {
    return dir.resolve("data/vouch.db");
  }

  /** Writes the configuration: one system for the payments account, the trail, the change log. */
  void config(String extra) throws IOException {
    Files.writeString(
        config(),
        """
        store: {path: ./data/vouch.db}
        systems:
          - name: payments-prod
            aws: {accounts: ["%s"]}
        identities:
          - person: alice
            aliases: [alice]
          - person: priya
            aliases: [priya]
        sources:
          - type: cloudtrail
            name: org-trail
            path: ./trail
        records:
          - type: file
            name: change-log
            path: ./changes.csv
        %s
        """
            .formatted(PAYMENTS, extra));
  }

  /** Writes the change log: the header and the given rows. */
  void changeLog(String rows) throws IOException {
    Files.writeString(
        dir.resolve("changes.csv"),
        "id,title,type,state,systems,window_start,window_end,implementer,approved_by,approved_at\n"
            + rows);
  }

  /** A CloudTrail record as AWS writes one. */
  static String record(
      String eventId, String account, Instant at, String source, String name, boolean readOnly) {
    return record(eventId, account, at, source, name, readOnly, "alice");
  }

  static String record(
      String eventId,
      String account,
      Instant at,
      String source,
      String name,
      boolean readOnly,
      String userName) {
    return """
        {"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE",\
        "arn":"arn:aws:iam::%1$s:user/%6$s","accountId":"%1$s","userName":"%6$s"},\
        "eventTime":"%2$s","eventSource":"%3$s","eventName":"%4$s","awsRegion":"%7$s",\
        "sourceIPAddress":"203.0.113.7","userAgent":"aws-cli/2.15.0",\
        "requestParameters":{"userName":"svc-report"},"responseElements":null,\
        "requestID":"%8$s","eventID":"%5$s","readOnly":%9$s,"eventType":"AwsApiCall",\
        "managementEvent":true,"recipientAccountId":"%1$s","eventCategory":"Management"}"""
        .formatted(
            account,
            at,
            source,
            name,
            eventId,
            userName,
            REGION,
            UUID.nameUUIDFromBytes((eventId + "-request").getBytes(StandardCharsets.UTF_8)),
            readOnly);
  }

  /** A change: iam CreateUser by alice. */
  static String change(String eventId, Instant at) {
    return record(eventId, PAYMENTS, at, "iam.amazonaws.com", "CreateUser", false);
  }

  /** A read-only call, as a trail holds thousands a day. */
  static String readOnly(String eventId, Instant at) {
    return record(eventId, PAYMENTS, at, "ec2.amazonaws.com", "DescribeInstances", true);
  }

  /** Writes a gzip log file delivered at the given time, in the S3 layout. */
  Path deliver(String account, Instant deliveredAt, String... records) throws IOException {
    byte[] body =
        ("{\"Records\":[" + String.join(",", records) + "]}").getBytes(StandardCharsets.UTF_8);
    return deliverBytes(account, deliveredAt, gzip(body));
  }

  /** Writes a file of any content where a log file delivered at that time would be. */
  Path deliverBytes(String account, Instant deliveredAt, byte[] content) throws IOException {
    Path folder =
        trail()
            .resolve("AWSLogs")
            .resolve(account)
            .resolve("CloudTrail")
            .resolve(REGION)
            .resolve(DAY_FOLDER.format(deliveredAt));
    Files.createDirectories(folder);
    Path file =
        folder.resolve(
            account
                + "_CloudTrail_"
                + REGION
                + "_"
                + STAMP.format(deliveredAt)
                + "_"
                + String.format("F%015d", ++files)
                + ".json.gz");
    Files.write(file, content);
    return file;
  }

  /** One read-only call an hour, for each day from {@code first} to {@code last} inclusive. */
  void background(LocalDate first, LocalDate last) throws IOException {
    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
      String[] records = new String[24];
      for (int hour = 0; hour < 24; hour++) {
        Instant at = day.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(hour));
        records[hour] = readOnly("bg-" + day + "-" + hour, at);
      }
      for (int hour = 0; hour < 24; hour++) {
        Instant at = day.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(hour));
        deliver(PAYMENTS, at.plus(Duration.ofMinutes(5)), records[hour]);
      }
    }
  }

  static byte[] gzip(byte[] body) {
    try {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      try (OutputStream out = new GZIPOutputStream(bytes)) {
        out.write(body);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the command line; {@code --config} and {@code --quiet} are added where they belong. */
  Result vouch(String command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VouchCli.commandLine(clock);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 3];
    all[0] = command;
    all[1] = "--config";
    all[2] = config().toString();
    System.arraycopy(args, 0, all, 3, args.length);
    if (command.equals("run")) {
      all = Arrays.copyOf(all, all.length + 3);
      all[all.length - 3] = "--quiet";
      all[all.length - 2] = "--out";
      all[all.length - 1] = dir.resolve("out").toString();
    }
    int code = cli.execute(all);
    return new Result(code, out.toString(), err.toString());
  }

  /** The findings.json of the last run. */
  JsonNode findings() throws IOException {
    return Json.mapper().readTree(dir.resolve("out/findings.json").toFile());
  }

  /** The run.json of the last run. */
  JsonNode runJson() throws IOException {
    return Json.mapper().readTree(dir.resolve("out/run.json").toFile());
  }
}
