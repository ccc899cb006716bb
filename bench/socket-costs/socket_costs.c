/*
 * Per-call CPU cost of the echo application's two system calls on this machine:
 * recvfrom(2) of a datagram already queued on a UDP socket, and sendto(2) of a datagram
 * down to a device that frees it at once (a veth whose peer is down, in a private network
 * namespace set up by run.sh: veth_xmit drops the frame). Prints one line per measurement:
 *   recvfrom <payload bytes> <ns per call>
 *   sendto <payload bytes> <ns per call>
 * Each figure is the best of several rounds of many calls (CLOCK_MONOTONIC around the
 * whole round), so it is the cost of the call on a warm cache, without scheduling noise.
 * Usage: socket_costs PAYLOAD_BYTES DEST_IPV4
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 60
#define BATCH 500

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int udp_socket(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		exit(1);
	}
	return fd;
}

/* recvfrom: fill a loopback socket with BATCH datagrams (no reader), then time reading them. */
static double recv_cost(size_t payload)
{
	int rx = udp_socket(), tx = udp_socket();
	int big = 64 << 20;
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(addr);
	char *buf = calloc(1, payload > 65536 ? payload : 65536);
	double best = 1e18;

	setsockopt(rx, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	if (bind(rx, (struct sockaddr *)&addr, sizeof(addr)) || getsockname(rx, (struct sockaddr *)&addr, &len)) {
		perror("bind");
		exit(1);
	}
	for (int r = 0; r < ROUNDS; r++) {
		for (int i = 0; i < BATCH; i++)
			if (sendto(tx, buf, payload, 0, (struct sockaddr *)&addr, sizeof(addr)) != (ssize_t)payload) {
				perror("sendto loopback");
				exit(1);
			}
		double t0 = now_ns();
		for (int i = 0; i < BATCH; i++)
			if (recvfrom(rx, buf, 65536, MSG_DONTWAIT, NULL, NULL) != (ssize_t)payload) {
				fprintf(stderr, "recvfrom: datagram %d of round %d missing (socket buffer too small?)\n", i, r);
				exit(1);
			}
		double per = (now_ns() - t0) / BATCH;
		if (per < best)
			best = per;
	}
	close(rx);
	close(tx);
	free(buf);
	return best;
}

/* sendto: to an on-link address behind a veth whose peer is down: veth_xmit frees the skb. */
static double send_cost(size_t payload, const char *dest)
{
	int tx = udp_socket();
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(9) };
	char *buf = calloc(1, payload);
	double best = 1e18;

	if (inet_pton(AF_INET, dest, &addr.sin_addr) != 1) {
		fprintf(stderr, "bad address %s\n", dest);
		exit(2);
	}
	for (int r = 0; r < ROUNDS; r++) {
		double t0 = now_ns();
		for (int i = 0; i < BATCH; i++)
			if (sendto(tx, buf, payload, 0, (struct sockaddr *)&addr, sizeof(addr)) != (ssize_t)payload) {
				perror("sendto veth");
				exit(1);
			}
		double per = (now_ns() - t0) / BATCH;
		if (per < best)
			best = per;
	}
	close(tx);
	free(buf);
	return best;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s PAYLOAD_BYTES DEST_IPV4\n", argv[0]);
		return 2;
	}
	size_t payload = strtoul(argv[1], NULL, 10);
	if (payload == 0 || payload > 65507) {
		fprintf(stderr, "payload must be 1..65507 bytes\n");
		return 2;
	}
	printf("recvfrom %zu %.0f\n", payload, recv_cost(payload));
	printf("sendto %zu %.0f\n", payload, send_cost(payload, argv[2]));
	return 0;
}
