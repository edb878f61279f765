/*
 * delayq: holds every packet of one NFQUEUE queue for a fixed time, then
 * accepts it. It stands in for netem, which this kernel lacks.
 *
 * Usage: delayq <queue-num>   (run inside the namespace that owns the queue)
 * stdin:  lines "delay <microseconds>" change the delay (0 = pass at once); EOF exits.
 * stdout: "ready" once the queue is bound.
 *
 * The delay is constant, so packets leave in arrival order and a FIFO ring is
 * enough. If the ring is full a packet is accepted at once rather than lost:
 * loss is the lab's other knob and must not come from here by accident.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

#define RING 65536

struct item { uint32_t id; int64_t due_us; };
static struct item ring[RING];
static size_t head, tail; /* pop at head, push at tail */
static int64_t delay_us;
static struct nfq_q_handle *qh;

static int64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static size_t queued(void) { return (tail + RING - head) % RING; }

static int on_packet(struct nfq_q_handle *q, struct nfgenmsg *msg, struct nfq_data *nfa, void *data) {
  (void)msg; (void)data;
  struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
  if (!ph) return 0;
  uint32_t id = ntohl(ph->packet_id);
  if (delay_us == 0 || queued() == RING - 1) return nfq_set_verdict(q, id, NF_ACCEPT, 0, NULL);
  ring[tail].id = id;
  ring[tail].due_us = now_us() + delay_us;
  tail = (tail + 1) % RING;
  return 0;
}

static void release_due(void) {
  int64_t t = now_us();
  while (head != tail && ring[head].due_us <= t) {
    nfq_set_verdict(qh, ring[head].id, NF_ACCEPT, 0, NULL);
    head = (head + 1) % RING;
  }
}

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: delayq <queue-num>\n"); return 2; }
  int qnum = atoi(argv[1]);
  struct nfq_handle *h = nfq_open();
  if (!h) { perror("nfq_open"); return 1; }
  qh = nfq_create_queue(h, (uint16_t)qnum, &on_packet, NULL);
  if (!qh) { perror("nfq_create_queue"); return 1; }
  if (nfq_set_mode(qh, NFQNL_COPY_META, 0) < 0) { perror("nfq_set_mode"); return 1; }
  nfq_set_queue_maxlen(qh, RING);
  nfnl_rcvbufsiz(nfq_nfnlh(h), 16 * 1024 * 1024);
  int fd = nfq_fd(h);
  printf("ready\n");
  fflush(stdout);

  static char buf[65536];
  char line[128];
  size_t line_len = 0;
  for (;;) {
    int timeout = -1;
    if (head != tail) {
      int64_t wait = ring[head].due_us - now_us();
      timeout = wait <= 0 ? 0 : (int)((wait + 999) / 1000);
    }
    struct pollfd fds[2] = { { fd, POLLIN, 0 }, { 0, POLLIN, 0 } };
    int n = poll(fds, 2, timeout);
    if (n < 0 && errno != EINTR) { perror("poll"); break; }
    if (n > 0 && (fds[0].revents & POLLIN)) {
      for (;;) {
        ssize_t rv = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (rv <= 0) break; /* EAGAIN, or ENOBUFS when the kernel had to drop: keep going */
        nfq_handle_packet(h, buf, (int)rv);
      }
    }
    if (n > 0 && (fds[1].revents & (POLLIN | POLLHUP))) {
      char c;
      ssize_t rv = read(0, &c, 1);
      if (rv <= 0) break; /* the harness went away: stop */
      if (c == '\n' || line_len == sizeof line - 1) {
        line[line_len] = 0;
        line_len = 0;
        long us;
        if (sscanf(line, "delay %ld", &us) == 1 && us >= 0 && us <= 10000000) {
          delay_us = us;
          printf("delay %ld\n", us);
          fflush(stdout);
        }
      } else {
        line[line_len++] = c;
      }
    }
    release_due();
  }
  /* Let queued packets go rather than strand them. */
  while (head != tail) { nfq_set_verdict(qh, ring[head].id, NF_ACCEPT, 0, NULL); head = (head + 1) % RING; }
  nfq_destroy_queue(qh);
  nfq_close(h);
  return 0;
}
