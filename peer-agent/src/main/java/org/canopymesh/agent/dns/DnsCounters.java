package org.canopymesh.agent.dns;

/**
 * What the DNS server has done since it started; a snapshot, each count read separately.
 *
 * @param queries messages received over UDP and TCP, including those dropped or forwarded
 * @param noError answers with NOERROR, including NODATA
 * @param nxDomain answers with NXDOMAIN
 * @param refused answers with REFUSED: names that are not ours when there is no upstream
 * @param formErr answers with FORMERR (and BADVERS): queries that do not parse
 * @param servFail answers with SERVFAIL: the upstream did not answer in time, or a bug
 * @param notImp answers with NOTIMP: opcodes other than QUERY
 * @param noData NOERROR answers with no answer records
 * @param truncated answers sent with TC set and no records, to move the client to TCP
 * @param tcpQueries messages received over TCP
 * @param forwarded queries sent to the upstream
 * @param rateLimited UDP queries dropped because their client was over its rate
 * @param overloaded UDP answers dropped because the socket could not take more
 * @param malformedDropped messages dropped without an answer: too short, or not queries
 * @param errors failures inside the server (a bug, or a name source that threw); logged
 */
public record DnsCounters(
    long queries,
    long noError,
    long nxDomain,
    long refused,
    long formErr,
    long servFail,
    long notImp,
    long noData,
    long truncated,
    long tcpQueries,
    long forwarded,
    long rateLimited,
    long overloaded,
    long malformedDropped,
    long errors) {}
