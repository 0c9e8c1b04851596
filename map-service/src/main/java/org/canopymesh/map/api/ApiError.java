package org.canopymesh.map.api;

/**
 * The body of every error answer.
 *
 * @param error what went wrong, in words for people
 * @param code a stable kebab-case identifier for scripts
 */
public record ApiError(String error, String code) {}
