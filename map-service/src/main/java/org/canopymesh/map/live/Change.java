package org.canopymesh.map.live;

/**
 * One change for the event stream.
 *
 * @param type the SSE event name: {@code node}, {@code link}, {@code island} or {@code reset}
 * @param data serialised as the event's JSON data
 */
public record Change(String type, Object data) {}
