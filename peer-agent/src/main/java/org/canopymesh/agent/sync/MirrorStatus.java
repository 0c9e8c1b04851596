package org.canopymesh.agent.sync;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * One mirror as the agent sees it.
 *
 * @param origin the mirror's log origin (its verifier key's name)
 * @param url its base URL
 * @param counted whether its verified copy counts towards the quorum now
 * @param fault what went wrong at the last attempt, if anything
 * @param detail the fault's details, or empty
 * @param checkpointSize the size of its latest verified checkpoint
 * @param entries how many of its entries the agent holds and has verified
 * @param cosigners how many of the other configured mirrors cosigned that checkpoint
 * @param lastAttempt when it was last asked
 * @param lastSuccess when its checkpoint last verified
 */
public record MirrorStatus(
    String origin,
    URI url,
    boolean counted,
    Optional<Fault> fault,
    String detail,
    long checkpointSize,
    long entries,
    int cosigners,
    Optional<Instant> lastAttempt,
    Optional<Instant> lastSuccess) {}
