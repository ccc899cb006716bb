// SPDX-License-Identifier: GPL-2.0
/*
 * udp-echo: the traffic of the KBP QEMU test (run.sh).
 *
 *   udp-echo server PORT
 *       (guest) echo every datagram back to its sender, forever.
 *   udp-echo client HOST PORT COUNT BURST
 *       (host) send COUNT numbered datagrams, BURST back to back, waiting after
 *       each burst for as many echoes as it sent (1 s at most); print
 *       "sent=N received=M" (distinct sequence numbers), exit 0 when M == N.
 *   udp-echo stream HOST PORT BURST STOPFILE MAXSEC
 *       (host) the same in a loop until STOPFILE exists or MAXSEC passed.
 *   udp-echo freeport
 *       (host) print a UDP port that is free on 127.0.0.1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PAYLOAD_BYTES 64
#define MAX_SEQ (1u << 24)

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int udp_socket(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int bytes = 1 << 20;

	if (fd < 0) {
		perror("socket");
		exit(2);
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof(bytes));
	return fd;
}

static int server(int port)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port) };
	char buf[2048];
	int fd = udp_socket();

	addr.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		perror("bind");
		return 2;
	}
	for (;;) {
		struct sockaddr_in peer;
		socklen_t len = sizeof(peer);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("recvfrom");
			return 2;
		}
		sendto(fd, buf, n, 0, (struct sockaddr *)&peer, len);
	}
}

struct client {
	int fd;
	unsigned char *seen;	/* one byte per sequence number */
	uint32_t sent, received;
};

/* Receive echoes until @want distinct ones arrived or @deadline (ms) passed. */
static void drain(struct client *c, uint32_t want, long long deadline)
{
	char buf[2048];

	while (c->received < want) {
		long long left = deadline - now_ms();
		struct pollfd p = { .fd = c->fd, .events = POLLIN };
		uint32_t seq;
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return;
		n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < (ssize_t)sizeof(seq))
			continue;
		memcpy(&seq, buf, sizeof(seq));
		if (seq < c->sent && !c->seen[seq]) {
			c->seen[seq] = 1;
			c->received++;
		}
	}
}

static void send_burst(struct client *c, uint32_t burst)
{
	char buf[PAYLOAD_BYTES];

	memset(buf, 'k', sizeof(buf));
	for (uint32_t i = 0; i < burst && c->sent < MAX_SEQ; i++) {
		uint32_t seq = c->sent;

		memcpy(buf, &seq, sizeof(seq));
		if (send(c->fd, buf, sizeof(buf), 0) < 0) {
			perror("send");
			exit(2);
		}
		c->sent++;
	}
}

static int client(const char *host, int port, uint32_t count, uint32_t burst,
		  const char *stopfile, int maxsec)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct client c = { .fd = udp_socket() };
	long long end = now_ms() + maxsec * 1000LL;
	struct stat st;

	if (inet_pton(AF_INET, host, &addr.sin_addr) != 1 ||
	    connect(c.fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		perror("connect");
		return 2;
	}
	c.seen = calloc(MAX_SEQ, 1);
	if (!c.seen || burst == 0)
		return 2;
	while (c.sent < count && c.sent < MAX_SEQ) {
		uint32_t before = c.sent;

		if (stopfile && (stat(stopfile, &st) == 0 || now_ms() > end))
			break;
		send_burst(&c, count - c.sent < burst ? count - c.sent : burst);
		/*
		 * Wait for as many echoes as this burst sent, not for every echo
		 * so far: after one loss the total never catches up, and each
		 * later burst would wait out the whole second.
		 */
		drain(&c, c.received + (c.sent - before), now_ms() + 1000);
	}
	drain(&c, c.sent, now_ms() + 1000);	/* stragglers */
	printf("sent=%u received=%u\n", c.sent, c.received);
	return c.sent > 0 && c.received == c.sent ? 0 : 1;
}

static int freeport(void)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	int fd = udp_socket();

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&addr, &len) < 0) {
		perror("bind");
		return 2;
	}
	printf("%u\n", ntohs(addr.sin_port));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "server"))
		return server(atoi(argv[2]));
	if (argc == 6 && !strcmp(argv[1], "client"))
		return client(argv[2], atoi(argv[3]), strtoul(argv[4], NULL, 10),
			      strtoul(argv[5], NULL, 10), NULL, 0);
	if (argc == 7 && !strcmp(argv[1], "stream"))
		return client(argv[2], atoi(argv[3]), MAX_SEQ, strtoul(argv[4], NULL, 10),
			      argv[5], atoi(argv[6]));
	if (argc == 2 && !strcmp(argv[1], "freeport"))
		return freeport();
	fprintf(stderr, "usage: udp-echo server PORT | client HOST PORT COUNT BURST |\n"
			"       stream HOST PORT BURST STOPFILE MAXSEC | freeport\n");
	return 2;
}
