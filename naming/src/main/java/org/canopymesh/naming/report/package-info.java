/**
 * Agent reports ({@code canopy-report/v1}, DESIGN.md "Agent reports"): what a node sees of its
 * neighbours, as a note signed by the node key. {@link org.canopymesh.naming.report.ReportNote} is
 * the content and its canonical text, {@link org.canopymesh.naming.report.SignedReport} a parsed
 * and signature-checked note. The agent writes reports with them and the map service reads them
 * with the same rules. Every broken rule is an {@link
 * org.canopymesh.naming.report.InvalidReportException} with its {@link
 * org.canopymesh.naming.report.InvalidReportException.Reason}.
 */
package org.canopymesh.naming.report;
