package org.canopymesh.naming.report;

import static org.canopymesh.naming.report.InvalidReportException.Reason.BAD_SIGNATURE;
import static org.canopymesh.naming.report.InvalidReportException.Reason.MALFORMED_NOTE;
import static org.canopymesh.naming.report.InvalidReportException.Reason.TOO_LARGE;

import java.nio.charset.StandardCharsets;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.note.Note;
import org.canopymesh.naming.note.NoteFormatException;
import org.canopymesh.naming.note.NoteKeys;
import org.canopymesh.naming.note.NoteLimits;
import org.canopymesh.naming.note.NoteVerifier;

/**
 * A report and the note that carries it, whose signature by the report's own key (under the key
 * name of its address) has been checked. Receivers get one with {@link #parse}; agents with {@link
 * ReportNote#sign}.
 *
 * <p>Freshness (is {@code time} recent, is {@code seq} higher than the last one seen from the key)
 * depends on the receiver's clock and memory and is the receiver's to judge.
 */
public final class SignedReport {
  /**
   * Bounds checked before any field is read: the whole note, and enough text lines for the header,
   * every repeated line at its maximum and some lines of later line types.
   */
  static final NoteLimits LIMITS = new NoteLimits(ReportNote.MAX_BYTES, 1024, 16);

  private final ReportNote report;
  private final Note note;

  private SignedReport(ReportNote report, Note note) {
    this.report = report;
    this.note = note;
  }

  /**
   * Parses and checks an encoded report: size, note syntax, fields and their bounds, address, and
   * the signature by the report's key.
   *
   * @throws InvalidReportException naming the first rule the note breaks
   */
  public static SignedReport parse(byte[] encoded) {
    if (encoded.length > ReportNote.MAX_BYTES) {
      throw new InvalidReportException(
          TOO_LARGE, "the report is " + encoded.length + " bytes; at most " + ReportNote.MAX_BYTES);
    }
    Note note;
    try {
      note = Note.parse(encoded, LIMITS);
    } catch (NoteFormatException e) {
      throw new InvalidReportException(MALFORMED_NOTE, e.getMessage());
    }
    ReportNote report = ReportBody.parse(note.text());
    if (!note.isSignedBy(verifier(report))) {
      throw new InvalidReportException(
          BAD_SIGNATURE, "the report is not signed by the key of " + report.address());
    }
    return new SignedReport(report, note);
  }

  public static SignedReport parse(String encoded) {
    return parse(encoded.getBytes(StandardCharsets.UTF_8));
  }

  static SignedReport sign(ReportNote report, SigningKey nodeKey) {
    if (!nodeKey.verifyingKey().equals(report.key())) {
      throw new IllegalArgumentException("a report is signed by its own key, " + report.key());
    }
    NoteVerifier v = verifier(report);
    Note note = Note.unsigned(report.body()).sign(NoteKeys.signer(v.keyName(), nodeKey));
    return new SignedReport(report, note);
  }

  /** The verifier whose key name is the report's address, as the format requires. */
  private static NoteVerifier verifier(ReportNote report) {
    return NoteKeys.verifier(report.address().toString(), report.key());
  }

  /** The parsed content. */
  public ReportNote report() {
    return report;
  }

  /**
   * The note as received. Its text is {@code report().body()} unless it holds lines of types this
   * version does not know.
   */
  public Note note() {
    return note;
  }

  /** The encoded note. */
  public String format() {
    return note.format();
  }

  public byte[] encoded() {
    return note.encoded();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedReport r && note.equals(r.note);
  }

  @Override
  public int hashCode() {
    return note.hashCode();
  }

  @Override
  public String toString() {
    return "SignedReport[" + report.address() + " seq " + Long.toUnsignedString(report.seq()) + "]";
  }
}
