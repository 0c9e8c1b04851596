package org.canopymesh.agent.register;

import java.net.URI;
import java.util.List;
import org.canopymesh.naming.record.SignedRecord;

/**
 * A record as submitted to the mirrors, and what each answered.
 *
 * @param record the signed record
 * @param answers each configured mirror's answer, in config order
 * @param accepted whether at least the quorum of mirrors accepted it
 */
public record Registration(SignedRecord record, List<Answer> answers, boolean accepted) {
  public Registration {
    answers = List.copyOf(answers);
  }

  /**
   * One mirror's answer.
   *
   * @param mirror its URL
   * @param status the HTTP status, or 0 when it could not be reached
   * @param outcome its verdict, e.g. {@code added}, {@code present}, {@code taken}
   * @param detail why, when it refused, or the transport failure
   */
  public record Answer(URI mirror, int status, String outcome, String detail) {
    public boolean accepted() {
      return status == 200 || status == 201;
    }

    /** One line for the operator, e.g. {@code http://m1:8081: 201 added}. */
    public String line() {
      String s = status == 0 ? "unreachable" : status + " " + outcome;
      return mirror + ": " + s + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
  }
}
