// SPDX-License-Identifier: GPL-2.0
/*
 * kbp.c - KBP (kernel busy poll) as a livepatch for Debian 12's kernel (6.1).
 *
 * The KBP design (Fujimoto et al., IEICE Trans. Commun., paper section 4) makes
 * two changes to NAPI:
 *   1. the hardIRQ handler's NAPI schedule only puts the napi on a poll list and
 *      never raises NET_RX_SOFTIRQ;
 *   2. a bound kernel thread (the KBP thread) polls that list and calls the
 *      driver's poll() with bottom halves disabled.
 * Change 1 replaces __napi_schedule() and __napi_schedule_irqoff() of
 * net/core/dev.c through a klp patch; change 2 is the thread below.
 *
 * Module parameters (the contract with the simulator's KbpOptions, see
 * src/Kbp.Sim.Models/Kernel/KbpOptions.cs and README.md in this directory):
 *   cpus       CPU list that runs a KBP thread ("0", "0,2-3", or "all" for every
 *              online CPU).  A napi scheduled on a CPU without a thread goes to
 *              the list of a KBP CPU chosen at load time.        default "0"
 *   weight     budget passed to each napi poll() (1..256)        default 64
 *   idle_mode  "busy": never sleep (the paper); "sleep": sleep while the list
 *              is empty, the scheduling IRQ wakes the thread     default "busy"
 *   policy     "fifo", "rr" or "normal"                          default "fifo"
 *   priority   RT priority 1..99 for fifo/rr (ignored by normal) default 50
 * All are read-only once loaded.  Statistics: /sys/kernel/debug/kbp/stats.
 *
 * Not covered (see README.md): the per-CPU backlog napi (loopback, veth, RPS)
 * and napi_watchdog() (GRO flush timeout / deferred hard IRQs) schedule through
 * the inlined ____napi_schedule() and still raise NET_RX_SOFTIRQ.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/netpoll.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <uapi/linux/sched/types.h>
#include <net/gro.h>
#include <trace/events/napi.h>

/* ---- module parameters (one default per line; parsed by the simulator's tests) ---- */

static char cpus[256] = "0";
module_param_string(cpus, cpus, sizeof(cpus), 0444);
MODULE_PARM_DESC(cpus, "CPU list that runs a KBP thread, or \"all\" (default \"0\")");

static int weight = 64;
module_param(weight, int, 0444);
MODULE_PARM_DESC(weight, "budget of one napi poll, 1..256 (default 64, NAPI_POLL_WEIGHT)");

static char idle_mode[16] = "busy";
module_param_string(idle_mode, idle_mode, sizeof(idle_mode), 0444);
MODULE_PARM_DESC(idle_mode, "busy (pure busy poll, default) or sleep (sleep while idle)");

static char policy[16] = "fifo";
module_param_string(policy, policy, sizeof(policy), 0444);
MODULE_PARM_DESC(policy, "scheduling policy of the KBP threads: fifo (default), rr, normal");

static int priority = 50;
module_param(priority, int, 0444);
MODULE_PARM_DESC(priority, "RT priority for fifo/rr, 1..99 (default 50, as sched_set_fifo)");

#define KBP_WEIGHT_MAX 256
#define KBP_BATCH_BUCKETS 10	/* 0, 1, 2-3, ..., 128-255, 256+ */
#define KBP_STAMPS 64		/* schedule timestamps remembered per list */

/* Counters of one KBP thread.  Producer-side ones change under kbp_cpu.lock,
 * the others only in the thread; readers take a snapshot without locking. */
struct kbp_stats {
	u64 schedules;		/* napis queued by the replacement schedule */
	u64 remote_schedules;	/* ... of which were scheduled on another CPU */
	u64 wakeups;		/* sleeping thread woken by a schedule */
	u64 polls;		/* poll() calls */
	u64 packets;		/* sum of poll() return values */
	u64 empty_polls;	/* poll() calls that returned 0 */
	u64 idle_loops;		/* loop turns that found the list empty */
	u64 requeues;		/* polls that used the whole weight, requeued */
	u64 lat_count;		/* schedule -> poll samples */
	u64 lat_sum_ns;
	u64 lat_max_ns;
	u64 batch[KBP_BATCH_BUCKETS];
};

/* The KBP list of one CPU: the counterpart of softnet_data.poll_list. */
struct kbp_cpu {
	raw_spinlock_t lock;
	struct list_head list;		/* napis, linked through napi->poll_list */
	struct task_struct *thread;	/* NULL: this CPU forwards to ->target */
	struct kbp_cpu *target;		/* list that takes napis scheduled here */
	bool sleeping;			/* idle_mode=sleep: thread waits for a wakeup */
	int cpu;
	/* FIFO of enqueue times, parallel to ->list (0 marks a requeue). */
	u64 stamp[KBP_STAMPS];
	unsigned int stamp_head, stamp_tail;
	bool stamp_lost;		/* overflowed: no samples until the list drains */
	struct kbp_stats stats;
} ____cacheline_aligned_in_smp;

static struct kbp_cpu *kbp_cpus;	/* nr_cpu_ids entries */
static cpumask_var_t kbp_mask;		/* CPUs with a KBP thread */
static bool kbp_sleep_when_idle;
static int kbp_policy;
static struct dentry *kbp_debugfs;

/*
 * Set from the klp callbacks while a patch or unpatch transition of this patch
 * runs.  The transition needs a kworker on every CPU (schedule_on_each_cpu() in
 * klp_synchronize_transition(), synchronize_rcu_tasks_rude() when ftrace ops go
 * away), which an RT busy loop would starve, so the threads sleep a jiffy now
 * and then until it is over.
 */
static bool kbp_in_transition;

static inline unsigned int kbp_batch_bucket(int work)
{
	return work <= 0 ? 0 : min_t(unsigned int, fls(work), KBP_BATCH_BUCKETS - 1);
}

/* Append @n to @kc's list; caller holds kc->lock with IRQs off. */
static void kbp_list_add(struct kbp_cpu *kc, struct napi_struct *n, u64 stamp)
{
	list_add_tail(&n->poll_list, &kc->list);
	if (kc->stamp_lost)
		return;
	if (kc->stamp_tail - kc->stamp_head == KBP_STAMPS) {
		kc->stamp_lost = true;
		return;
	}
	kc->stamp[kc->stamp_tail++ % KBP_STAMPS] = stamp;
}

/* Take the head of @kc's list, or NULL.  *stamp gets its enqueue time (0: unknown). */
static struct napi_struct *kbp_list_pop(struct kbp_cpu *kc, u64 *stamp)
{
	struct napi_struct *n = NULL;

	*stamp = 0;
	if (list_empty(&kc->list))
		return NULL;
	n = list_first_entry(&kc->list, struct napi_struct, poll_list);
	/* list_del_init: napi_complete_done() tests list_empty(&n->poll_list) */
	list_del_init(&n->poll_list);
	if (!kc->stamp_lost && kc->stamp_head != kc->stamp_tail)
		*stamp = kc->stamp[kc->stamp_head++ % KBP_STAMPS];
	if (list_empty(&kc->list)) {
		kc->stamp_head = kc->stamp_tail = 0;
		kc->stamp_lost = false;
	}
	return n;
}

/*
 * The replacement of ____napi_schedule() (net/core/dev.c, static inline there),
 * called with IRQs disabled.  The NAPI_STATE_THREADED branch is kept as in the
 * stock function: wake the napi's own thread.  Otherwise the napi goes to the
 * KBP list instead of softnet_data.poll_list, and NET_RX_SOFTIRQ is not raised.
 */
static void kbp_schedule_irqs_off(struct napi_struct *n)
{
	int cpu = smp_processor_id();
	struct kbp_cpu *kc = kbp_cpus[cpu].target;
	struct task_struct *wake = NULL;

	if (test_bit(NAPI_STATE_THREADED, &n->state)) {
		struct task_struct *thread = READ_ONCE(n->thread);

		if (thread) {
			/* As stock: a thread not yet asleep in napi_thread_wait()
			 * must see SCHED_THREADED to know the napi is its own. */
			if (READ_ONCE(thread->__state) != TASK_INTERRUPTIBLE)
				set_bit(NAPI_STATE_SCHED_THREADED, &n->state);
			wake_up_process(thread);
			return;
		}
	}

	raw_spin_lock(&kc->lock);
	kbp_list_add(kc, n, local_clock());
	kc->stats.schedules++;
	if (kc->cpu != cpu)
		kc->stats.remote_schedules++;
	if (kc->sleeping) {
		kc->sleeping = false;
		kc->stats.wakeups++;
		wake = kc->thread;
	}
	raw_spin_unlock(&kc->lock);

	if (wake)
		wake_up_process(wake);
}

/* Replaces __napi_schedule(): the IRQ-saving wrapper of the above. */
static void kbp_napi_schedule(struct napi_struct *n)
{
	unsigned long flags;

	local_irq_save(flags);
	kbp_schedule_irqs_off(n);
	local_irq_restore(flags);
}

/* Replaces __napi_schedule_irqoff().  Stock maps it to __napi_schedule() on
 * PREEMPT_RT, where "IRQs off" may not hold; saving the flags is right for both. */
static void kbp_napi_schedule_irqoff(struct napi_struct *n)
{
	kbp_napi_schedule(n);
}

/*
 * Flush what GRO holds for @n, as __napi_poll() does before a requeue.
 * gro_normal_list() calls netif_receive_skb_list_internal(), which is not
 * exported; netif_receive_skb_list() delivers the same list.
 */
static void kbp_gro_flush(struct napi_struct *n)
{
	if (n->gro_bitmask)
		napi_gro_flush(n, HZ >= 1000);	/* HZ < 1000: flush everything */
	if (n->rx_count) {
		netif_receive_skb_list(&n->rx_list);
		INIT_LIST_HEAD(&n->rx_list);
		n->rx_count = 0;
	}
}

/*
 * Poll one napi taken off @kc's list; runs with bottom halves disabled.
 * Follows napi_poll() and __napi_poll() of net/core/dev.c: the driver owns the
 * napi again unless it used the whole budget, in which case we still own it and
 * put it back at the tail of our list (net_rx_action()'s repoll list).
 */
static void kbp_poll(struct kbp_cpu *kc, struct napi_struct *n)
{
	void *have = netpoll_poll_lock(n);
	int work = 0;

	/* Only the owner of NAPI_STATE_SCHED may call poll() (netpoll race). */
	if (test_bit(NAPI_STATE_SCHED, &n->state)) {
		work = n->poll(n, weight);
		trace_napi_poll(n, work, weight);
	}
	kc->stats.polls++;
	kc->stats.packets += work > 0 ? work : 0;
	if (work <= 0)
		kc->stats.empty_polls++;
	kc->stats.batch[kbp_batch_bucket(work)]++;

	if (likely(work < weight))
		goto out;

	if (unlikely(napi_disable_pending(n))) {
		napi_complete(n);
		goto out;
	}
	if (napi_prefer_busy_poll(n)) {
		/* __napi_poll(): busy polling is preferred, give the napi up. */
		if (napi_complete_done(n, work))
			napi_schedule(n);
		goto out;
	}
	kbp_gro_flush(n);
	/* A driver that rescheduled before exhausting its budget queued it already. */
	if (unlikely(!list_empty(&n->poll_list)))
		goto out;

	raw_spin_lock_irq(&kc->lock);
	kbp_list_add(kc, n, 0);
	kc->stats.requeues++;
	raw_spin_unlock_irq(&kc->lock);
out:
	netpoll_poll_unlock(have);
}

static struct napi_struct *kbp_dequeue(struct kbp_cpu *kc)
{
	struct napi_struct *n;
	u64 stamp;

	if (list_empty_careful(&kc->list))
		return NULL;
	raw_spin_lock_irq(&kc->lock);
	n = kbp_list_pop(kc, &stamp);
	raw_spin_unlock_irq(&kc->lock);

	if (n && stamp) {
		u64 now = local_clock();
		u64 ns = now > stamp ? now - stamp : 0;

		kc->stats.lat_count++;
		kc->stats.lat_sum_ns += ns;
		if (ns > kc->stats.lat_max_ns)
			kc->stats.lat_max_ns = ns;
	}
	return n;
}

/* idle_mode=sleep: wait until kbp_schedule_irqs_off() (or kthread_stop()) wakes us. */
static void kbp_sleep_until_scheduled(struct kbp_cpu *kc)
{
	raw_spin_lock_irq(&kc->lock);
	if (!list_empty(&kc->list)) {
		raw_spin_unlock_irq(&kc->lock);
		return;
	}
	set_current_state(TASK_INTERRUPTIBLE);
	kc->sleeping = true;
	raw_spin_unlock_irq(&kc->lock);

	if (!kthread_should_stop())
		schedule();
	__set_current_state(TASK_RUNNING);
	WRITE_ONCE(kc->sleeping, false);
}

/*
 * The KBP thread: the loop of net_rx_action() without its budget and time
 * limit, bound to its CPU, polling with bottom halves disabled (the paper's
 * "deadlock control"; local_bh_enable() runs the softirqs that became pending).
 */
static int kbp_thread_fn(void *data)
{
	struct kbp_cpu *kc = data;
	unsigned long last_nap = jiffies;

	while (!kthread_should_stop()) {
		struct napi_struct *n = kbp_dequeue(kc);

		if (n) {
			local_bh_disable();
			kbp_poll(kc, n);
			local_bh_enable();
		} else {
			kc->stats.idle_loops++;
			if (kbp_sleep_when_idle)
				kbp_sleep_until_scheduled(kc);
			else
				cpu_relax();
		}

		/*
		 * Livepatch cooperation.  klp switches a task only while it is
		 * not running, so a thread that never sleeps would hold the
		 * transition forever: nap a jiffy while our switch is pending,
		 * and while our own transition runs nap when idle or once per
		 * jiffy of work so the kworkers it waits for get the CPU.
		 */
		if (unlikely(klp_patch_pending(current))) {
			schedule_timeout_interruptible(1);
			last_nap = jiffies;
		} else if (unlikely(READ_ONCE(kbp_in_transition)) &&
			   (!n || time_after(jiffies, last_nap + 1))) {
			schedule_timeout_interruptible(1);
			last_nap = jiffies;
		} else {
			/*
			 * cond_resched() alone is not enough: disabling the
			 * patch removes its ftrace ops, which waits in
			 * synchronize_rcu_tasks() for every task to pass a
			 * voluntary quiescent state.
			 */
			cond_resched_tasks_rcu_qs();
		}
	}
	return 0;
}

/* ---- livepatch ---- */

static struct klp_func kbp_funcs[] = {
	{ .old_name = "__napi_schedule", .new_func = kbp_napi_schedule, },
	{ .old_name = "__napi_schedule_irqoff", .new_func = kbp_napi_schedule_irqoff, },
	{ }
};

static int kbp_pre_transition(struct klp_object *obj)
{
	WRITE_ONCE(kbp_in_transition, true);
	return 0;
}

static void kbp_post_transition(struct klp_object *obj)
{
	WRITE_ONCE(kbp_in_transition, false);
}

static void kbp_pre_unpatch(struct klp_object *obj)
{
	WRITE_ONCE(kbp_in_transition, true);
}

static struct klp_object kbp_objs[] = {
	{
		/* .name NULL: vmlinux */
		.funcs = kbp_funcs,
		.callbacks = {
			.pre_patch = kbp_pre_transition,
			.post_patch = kbp_post_transition,
			.pre_unpatch = kbp_pre_unpatch,
			.post_unpatch = kbp_post_transition,
		},
	},
	{ }
};

static struct klp_patch kbp_patch = {
	.mod = THIS_MODULE,
	.objs = kbp_objs,
};

/* ---- statistics (format documented in README.md) ---- */

static const char *const kbp_bucket_names[KBP_BATCH_BUCKETS] = {
	"0", "1", "2-3", "4-7", "8-15", "16-31", "32-63", "64-127", "128-255", "256+",
};

static int kbp_stats_show(struct seq_file *m, void *v)
{
	unsigned int cpu, b;

	seq_puts(m, "# kbp stats v1\n");
	seq_printf(m, "params cpus=%*pbl weight=%d idle_mode=%s policy=%s priority=%d\n",
		   cpumask_pr_args(kbp_mask), weight,
		   kbp_sleep_when_idle ? "sleep" : "busy",
		   kbp_policy == SCHED_FIFO ? "fifo" : kbp_policy == SCHED_RR ? "rr" : "normal",
		   kbp_policy == SCHED_NORMAL ? 0 : priority);
	for_each_cpu(cpu, kbp_mask) {
		struct kbp_stats s = kbp_cpus[cpu].stats;	/* racy snapshot, fine for counters */

		seq_printf(m, "cpu=%u schedules=%llu remote_schedules=%llu wakeups=%llu polls=%llu packets=%llu empty_polls=%llu idle_loops=%llu requeues=%llu sched_to_poll_count=%llu sched_to_poll_sum_ns=%llu sched_to_poll_max_ns=%llu\n",
			   cpu, s.schedules, s.remote_schedules, s.wakeups, s.polls,
			   s.packets, s.empty_polls, s.idle_loops, s.requeues, s.lat_count,
			   s.lat_sum_ns, s.lat_max_ns);
		seq_printf(m, "batch cpu=%u", cpu);
		for (b = 0; b < KBP_BATCH_BUCKETS; b++)
			seq_printf(m, " %s=%llu", kbp_bucket_names[b], s.batch[b]);
		seq_putc(m, '\n');
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kbp_stats);

/* ---- load and unload ---- */

static int kbp_parse_params(void)
{
	if (weight < 1 || weight > KBP_WEIGHT_MAX) {
		pr_err("weight=%d out of 1..%d\n", weight, KBP_WEIGHT_MAX);
		return -EINVAL;
	}
	if (sysfs_streq(idle_mode, "busy")) {
		kbp_sleep_when_idle = false;
	} else if (sysfs_streq(idle_mode, "sleep")) {
		kbp_sleep_when_idle = true;
	} else {
		pr_err("idle_mode=%s: expected busy or sleep\n", idle_mode);
		return -EINVAL;
	}
	if (sysfs_streq(policy, "fifo")) {
		kbp_policy = SCHED_FIFO;
	} else if (sysfs_streq(policy, "rr")) {
		kbp_policy = SCHED_RR;
	} else if (sysfs_streq(policy, "normal")) {
		kbp_policy = SCHED_NORMAL;
	} else {
		pr_err("policy=%s: expected fifo, rr or normal\n", policy);
		return -EINVAL;
	}
	if (kbp_policy != SCHED_NORMAL && (priority < 1 || priority > MAX_RT_PRIO - 1)) {
		pr_err("priority=%d out of 1..%d\n", priority, MAX_RT_PRIO - 1);
		return -EINVAL;
	}
	if (sysfs_streq(cpus, "all")) {
		cpumask_copy(kbp_mask, cpu_online_mask);
	} else if (cpulist_parse(strim(cpus), kbp_mask) || cpumask_empty(kbp_mask)) {
		pr_err("cpus=%s: expected a CPU list such as 0,2-3 or all\n", cpus);
		return -EINVAL;
	}
	if (!cpumask_subset(kbp_mask, cpu_online_mask)) {
		pr_err("cpus=%*pbl: not all online\n", cpumask_pr_args(kbp_mask));
		return -EINVAL;
	}
	return 0;
}

/*
 * Where a CPU without a thread sends its napis: a KBP CPU of the same NUMA node
 * if there is one, spread round-robin over the candidates.
 */
static void kbp_assign_targets(void)
{
	unsigned int cpu, nth = 0;

	for_each_possible_cpu(cpu) {
		const struct cpumask *near = cpumask_of_node(cpu_to_node(cpu));
		unsigned int pick, weight_near, i;

		if (cpumask_test_cpu(cpu, kbp_mask)) {
			kbp_cpus[cpu].target = &kbp_cpus[cpu];
			continue;
		}
		weight_near = cpumask_weight_and(near, kbp_mask);
		if (!weight_near)
			near = cpu_possible_mask;
		weight_near = cpumask_weight_and(near, kbp_mask);
		i = nth++ % weight_near;
		for_each_cpu_and(pick, near, kbp_mask)
			if (i-- == 0)
				break;
		kbp_cpus[cpu].target = &kbp_cpus[pick];
	}
}

static int kbp_start_thread(struct kbp_cpu *kc)
{
	struct sched_attr attr = { .size = sizeof(attr), .sched_policy = kbp_policy };
	struct task_struct *t;
	int err;

	if (kbp_policy != SCHED_NORMAL)
		attr.sched_priority = priority;
	t = kthread_create_on_cpu(kbp_thread_fn, kc, kc->cpu, "kbp/%u");
	if (IS_ERR(t))
		return PTR_ERR(t);
	err = sched_setattr_nocheck(t, &attr);
	if (err) {
		kthread_stop(t);
		return err;
	}
	kc->thread = t;
	wake_up_process(t);
	return 0;
}

/*
 * Stop the threads and give the napis still on the KBP lists back to the stock
 * code.  Only called with the patch disabled (or never enabled), so
 * __napi_schedule() is the stock one again and raises NET_RX_SOFTIRQ; each napi
 * still holds NAPI_STATE_SCHED, as a napi on a poll list does.
 */
static void kbp_stop_and_hand_back(void)
{
	unsigned int cpu, handed = 0;

	for_each_possible_cpu(cpu) {
		if (kbp_cpus[cpu].thread) {
			kthread_stop(kbp_cpus[cpu].thread);
			kbp_cpus[cpu].thread = NULL;
		}
	}
	for_each_possible_cpu(cpu) {
		struct kbp_cpu *kc = &kbp_cpus[cpu];
		struct napi_struct *n;
		u64 stamp;

		for (;;) {
			raw_spin_lock_irq(&kc->lock);
			n = kbp_list_pop(kc, &stamp);
			raw_spin_unlock_irq(&kc->lock);
			if (!n)
				break;
			__napi_schedule(n);
			handed++;
		}
	}
	if (handed)
		pr_info("handed %u napi(s) back to NET_RX_SOFTIRQ\n", handed);
}

static int __init kbp_init(void)
{
	unsigned int cpu;
	int err;

	if (!zalloc_cpumask_var(&kbp_mask, GFP_KERNEL))
		return -ENOMEM;
	err = kbp_parse_params();
	if (err)
		goto free_mask;

	kbp_cpus = kcalloc(nr_cpu_ids, sizeof(*kbp_cpus), GFP_KERNEL);
	if (!kbp_cpus) {
		err = -ENOMEM;
		goto free_mask;
	}
	for_each_possible_cpu(cpu) {
		raw_spin_lock_init(&kbp_cpus[cpu].lock);
		INIT_LIST_HEAD(&kbp_cpus[cpu].list);
		kbp_cpus[cpu].cpu = cpu;
	}
	kbp_assign_targets();

	/* Threads first: once the patch is live, nothing else polls these lists. */
	for_each_cpu(cpu, kbp_mask) {
		err = kbp_start_thread(&kbp_cpus[cpu]);
		if (err) {
			pr_err("cannot start the thread of cpu %u: %d\n", cpu, err);
			goto stop;
		}
	}

	kbp_debugfs = debugfs_create_dir("kbp", NULL);
	debugfs_create_file("stats", 0444, kbp_debugfs, NULL, &kbp_stats_fops);

	err = klp_enable_patch(&kbp_patch);
	if (err)
		goto remove_debugfs;

	pr_info("cpus=%*pbl weight=%d idle_mode=%s policy=%s priority=%d\n",
		cpumask_pr_args(kbp_mask), weight, idle_mode, policy, priority);
	return 0;

remove_debugfs:
	debugfs_remove_recursive(kbp_debugfs);
stop:
	kbp_stop_and_hand_back();
	kfree(kbp_cpus);
free_mask:
	free_cpumask_var(kbp_mask);
	return err;
}

static void __exit kbp_exit(void)
{
	debugfs_remove_recursive(kbp_debugfs);
	kbp_stop_and_hand_back();
	kfree(kbp_cpus);
	free_cpumask_var(kbp_mask);
}

module_init(kbp_init);
module_exit(kbp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KBP: NAPI polled by bound kernel threads instead of NET_RX_SOFTIRQ (livepatch)");
MODULE_INFO(livepatch, "Y");
