/*
 * kafka-mock: runs librdkafka's built-in mock Kafka cluster (a real Kafka
 * wire-protocol broker, bound to 127.0.0.1 on OS-chosen ports) for e2e tests.
 *
 *   kafka-mock [-b BROKERS] [-r REPLICATION] [-t TOPIC:PARTITIONS]...
 *
 * Prints "BOOTSTRAP=host:port,..." then "READY" on stdout once all topics
 * exist. Runs until SIGTERM/SIGINT or until stdin reaches EOF (so it dies
 * with the parent that holds the pipe).
 *
 * Build: cc -O2 -o kafka-mock kafka-mock.c $(pkg-config --cflags --libs rdkafka)
 * Needs: apt-get install librdkafka-dev gcc libc6-dev pkg-config
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

static volatile sig_atomic_t stop_requested = 0;

static void on_signal(int sig) {
  (void)sig;
  stop_requested = 1;
}

static void usage(const char *argv0) {
  fprintf(stderr, "usage: %s [-b BROKERS] [-r REPLICATION] [-t TOPIC:PARTITIONS]...\n", argv0);
  exit(2);
}

int main(int argc, char **argv) {
  int broker_cnt = 1, replication = 1, opt;
  char errstr[512];

  /* First pass: options other than topics. */
  while ((opt = getopt(argc, argv, "b:r:t:h")) != -1) {
    if (opt == 'b') broker_cnt = atoi(optarg);
    else if (opt == 'r') replication = atoi(optarg);
    else if (opt == 't') continue;
    else usage(argv[0]);
  }
  if (broker_cnt < 1) usage(argv[0]);
  if (replication < 1) replication = 1;
  if (replication > broker_cnt) replication = broker_cnt;

  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  /* The handle is only needed for the mock's bookkeeping; keep it quiet. */
  if (rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK) {
    fprintf(stderr, "kafka-mock: conf: %s\n", errstr);
    return 1;
  }
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  if (!rk) {
    fprintf(stderr, "kafka-mock: rd_kafka_new: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t *mcluster = rd_kafka_mock_cluster_new(rk, broker_cnt);
  if (!mcluster) {
    fprintf(stderr, "kafka-mock: rd_kafka_mock_cluster_new failed\n");
    rd_kafka_destroy(rk);
    return 1;
  }

  /* Second pass: create topics (the mock has no CreateTopics API). */
  optind = 1;
  while ((opt = getopt(argc, argv, "b:r:t:h")) != -1) {
    if (opt != 't') continue;
    char *spec = strdup(optarg);
    char *colon = strrchr(spec, ':');
    int partitions = 1;
    if (colon) {
      *colon = '\0';
      partitions = atoi(colon + 1);
    }
    if (!*spec || partitions < 1) {
      fprintf(stderr, "kafka-mock: bad topic spec '%s' (want NAME:PARTITIONS)\n", optarg);
      return 2;
    }
    rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(mcluster, spec, partitions, replication);
    if (err) {
      fprintf(stderr, "kafka-mock: create topic %s: %s\n", spec, rd_kafka_err2str(err));
      return 1;
    }
    free(spec);
  }

  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  printf("BOOTSTRAP=%s\nREADY\n", rd_kafka_mock_cluster_bootstraps(mcluster));
  fflush(stdout);

  struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
  char buf[256];
  while (!stop_requested) {
    int n = poll(&pfd, 1, 250);
    if (n < 0 && errno != EINTR) break;
    if (n > 0) {
      ssize_t r = read(STDIN_FILENO, buf, sizeof(buf));
      if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN)) break; /* parent gone */
    }
  }

  /* No graceful teardown: rd_kafka_mock_cluster_destroy() can block for about
   * a second on consumer-group timers, and the OS frees everything anyway. */
  _exit(0);
}
