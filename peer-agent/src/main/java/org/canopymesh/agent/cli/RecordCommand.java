package org.canopymesh.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.canopymesh.agent.config.Durations;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.record.InvalidRecordException;
import org.canopymesh.naming.record.NameRecord;
import org.canopymesh.naming.record.RecordRules;
import org.canopymesh.naming.record.Service;
import org.canopymesh.naming.record.SignedRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

@Command(
    name = "record",
    mixinStandardHelpOptions = true,
    description = "Sign and verify canopy-record/v1 name records.",
    subcommands = {RecordCommand.Sign.class, RecordCommand.Verify.class},
    synopsisSubcommandLabel = "(sign | verify)")
final class RecordCommand implements Runnable {
  static final String DEFAULT_TTL = "30d";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "say 'sign' or 'verify'");
  }

  @Command(
      name = "sign",
      mixinStandardHelpOptions = true,
      description = {
        "Print a name record for this node, signed with its key.",
        "Submit it to a mirror, or publish it in NodeInfo under \"canopy\": {\"records\": [...]}."
      })
  static final class Sign implements Callable<Integer> {
    private final Clock clock;

    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    KeyOptions key;

    @Option(
        names = "--name",
        required = true,
        paramLabel = "NAME",
        description = "the name, e.g. wiki.mesh.alt; international names are stored as xn--")
    String name;

    @Option(
        names = "--srv",
        paramLabel = "SERVICE:PROTO:PORT",
        converter = ServiceConverter.class,
        description = "a service offered at the name, e.g. http:tcp:80 (repeatable)")
    List<Service> services = new ArrayList<>();

    @Option(names = "--txt", paramLabel = "TEXT", description = "a TXT string (repeatable)")
    List<String> texts = new ArrayList<>();

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        defaultValue = DEFAULT_TTL,
        converter = DurationConverter.class,
        description = "how long the record is valid, at most 90d (default: ${DEFAULT-VALUE})")
    Duration ttl;

    @Option(
        names = "--seq",
        paramLabel = "N",
        description = "sequence number; must grow with each record (default: now in unix seconds)")
    Long seq;

    @Option(
        names = "--zone",
        paramLabel = "ZONE",
        defaultValue = RecordRules.DEFAULT_ZONE,
        description = "the zone the name must be in (default: ${DEFAULT-VALUE})")
    String zone;

    Sign(Clock clock) {
      this.clock = clock;
    }

    @Override
    public Integer call() {
      if (ttl.compareTo(NameRecord.MAX_LIFETIME) > 0 || ttl.isZero()) {
        throw new UserError(
            "--ttl must be more than 0 and at most 90d, not " + Durations.format(ttl));
      }
      if (seq != null && seq < 0) {
        throw new UserError("--seq must not be negative");
      }
      SigningKey signingKey = key.load();
      NameRecord.Builder b =
          NameRecord.builder()
              .name(name)
              .key(signingKey.verifyingKey())
              .seq(seq != null ? seq : clock.instant().getEpochSecond())
              .validity(clock.instant(), ttl);
      services.forEach(b::service);
      texts.forEach(b::text);
      NameRecord record = b.build();
      RecordRules.forZones(List.of(zone)).checkZone(record.name());
      SignedRecord signed = record.sign(signingKey);
      spec.commandLine().getOut().print(signed.format());
      spec.commandLine().getOut().flush();
      return CanopyAgent.OK;
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Check a record: signature, address, name, zone and validity period.",
        "Prints 'valid NAME ADDRESS' and exits 0, or the reason and exits 1."
      })
  static final class Verify implements Callable<Integer> {
    private final Clock clock;

    @Spec CommandSpec spec;

    @Parameters(
        paramLabel = "FILE",
        defaultValue = "-",
        arity = "0..1",
        description = "the record note; '-' or nothing reads standard input")
    String file;

    @Option(
        names = "--zone",
        paramLabel = "ZONE",
        description = "a zone records may be in (repeatable; default: mesh.alt)")
    List<String> zones = new ArrayList<>(List.of(RecordRules.DEFAULT_ZONE));

    Verify(Clock clock) {
      this.clock = clock;
    }

    @Override
    public Integer call() {
      byte[] note = read();
      var out = spec.commandLine().getOut();
      try {
        SignedRecord r = RecordRules.forZones(zones).verify(note, clock.instant());
        out.println("valid " + r.record().name() + " " + r.record().address());
        return CanopyAgent.OK;
      } catch (InvalidRecordException e) {
        out.println("invalid: " + e.getMessage());
        return CanopyAgent.INVALID;
      }
    }

    /** At most one byte more than a record may have, so too large input is reported as such. */
    private byte[] read() {
      int limit = SignedRecord.MAX_BYTES + 1;
      try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
        return in.readNBytes(limit);
      } catch (NoSuchFileException e) {
        throw new UserError("cannot read " + file + ": no such file");
      } catch (IOException e) {
        throw new UserError("cannot read " + file + ": " + e.getMessage());
      }
    }
  }

  static final class ServiceConverter implements ITypeConverter<Service> {
    @Override
    public Service convert(String value) {
      try {
        return Service.parse(value);
      } catch (InvalidRecordException e) {
        throw new TypeConversionException(e.detail());
      }
    }
  }

  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Durations.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
