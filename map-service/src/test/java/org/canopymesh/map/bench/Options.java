package org.canopymesh.map.bench;

/**
 * The benchmark's options ({@code --name=value}); the defaults are the targets' sizes.
 *
 * @param nodes nodes of the synthetic mesh
 * @param links links of the synthetic mesh
 * @param seconds the measured ingestion run
 * @param warmup an untimed ingestion run before it, at the same rate, for the service's JIT
 * @param rate reports a second offered
 * @param connections keep-alive connections the reports are sent on
 * @param requests timed requests of each kind of map fetch
 * @param probes event probes in each setting (idle, under ingestion)
 * @param loads page loads for the first render
 * @param panMillis panning time per mode
 * @param browser whether to run the browser part
 * @param profile whether to record the service with JFR (from its start) and summarise the
 *     ingestion run's samples
 * @param xmx the service's {@code -Xmx}, empty for the JVM's default
 * @param asyncCommit a diagnostic: PostgreSQL's {@code synchronous_commit} off (commits do not wait
 *     for the WAL to reach the disk), to see what the disk's flushes cost the ingestion
 */
record Options(
    int nodes,
    int links,
    int seconds,
    int warmup,
    double rate,
    int connections,
    int requests,
    int probes,
    int loads,
    long panMillis,
    boolean browser,
    boolean profile,
    String xmx,
    boolean asyncCommit) {

  static final String USAGE =
      "usage: map-service/bench/run [--nodes=10000] [--links=30000] [--seconds=60] [--warmup=10]"
          + " [--rate=500] [--connections=64] [--requests=500] [--probes=50] [--loads=5]"
          + " [--pan-seconds=5] [--no-browser] [--no-profile] [--xmx=SIZE] [--async-commit]";

  static Options parse(String[] args) {
    int nodes = 10_000;
    int links = 30_000;
    int seconds = 60;
    int warmup = 10;
    double rate = 500;
    int connections = 64;
    int requests = 500;
    int probes = 50;
    int loads = 5;
    long panMillis = 5000;
    boolean browser = true;
    boolean profile = true;
    String xmx = "";
    boolean asyncCommit = false;
    for (String a : args) {
      String v =
          a.contains("=") ? a.substring(a.indexOf('=') + 1).replace("_", "").replace(",", "") : "";
      if (a.startsWith("--nodes=")) {
        nodes = Integer.parseInt(v);
      } else if (a.startsWith("--links=")) {
        links = Integer.parseInt(v);
      } else if (a.startsWith("--seconds=")) {
        seconds = Integer.parseInt(v);
      } else if (a.startsWith("--warmup=")) {
        warmup = Integer.parseInt(v);
      } else if (a.startsWith("--rate=")) {
        rate = Double.parseDouble(v);
      } else if (a.startsWith("--connections=")) {
        connections = Integer.parseInt(v);
      } else if (a.startsWith("--requests=")) {
        requests = Integer.parseInt(v);
      } else if (a.startsWith("--probes=")) {
        probes = Integer.parseInt(v);
      } else if (a.startsWith("--loads=")) {
        loads = Integer.parseInt(v);
      } else if (a.startsWith("--pan-seconds=")) {
        panMillis = (long) (Double.parseDouble(v) * 1000);
      } else if (a.equals("--no-browser")) {
        browser = false;
      } else if (a.equals("--no-profile")) {
        profile = false;
      } else if (a.startsWith("--xmx=")) {
        xmx = v;
      } else if (a.equals("--async-commit")) {
        asyncCommit = true;
      } else {
        throw new IllegalArgumentException(USAGE + "\nunknown option: " + a);
      }
    }
    if (nodes < 50 || links < 1 || seconds < 1 || rate <= 0 || connections < 1 || requests < 1) {
      throw new IllegalArgumentException(USAGE + "\nsizes and counts must be positive (50+ nodes)");
    }
    return new Options(
        nodes,
        links,
        seconds,
        warmup,
        rate,
        connections,
        requests,
        probes,
        loads,
        panMillis,
        browser,
        profile,
        xmx,
        asyncCommit);
  }

  /** Whether this run has the sizes the targets name. */
  boolean targetSize() {
    return nodes == 10_000 && links == 30_000 && seconds >= 60 && rate == 500 && !asyncCommit;
  }
}
