// SPDX-License-Identifier: GPL-2.0
/*
 * test_compat.c - the userspace half of kernel/common/compat.h: WARN_ON_ONCE
 * says what went wrong (once per site) and aborts under APVIRT_WARN_ABORT=1;
 * the ranked mutexes keep their order across apc_cond_wait().
 */
#include "fixture.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* One site, reached as often as the caller likes. */
static bool warn_site(int v)
{
	return WARN_ON_ONCE(v == 1);
}

/*
 * Run @fn in a child with stderr on a pipe and APVIRT_WARN_ABORT set to
 * @abort_env (NULL: unset).  Returns the wait status; the text in @out.
 */
static int run_child(void (*fn)(void), const char *abort_env, char *out, size_t size)
{
	int pipefd[2], status = 0;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		if (abort_env)
			setenv("APVIRT_WARN_ABORT", abort_env, 1);
		else
			unsetenv("APVIRT_WARN_ABORT");
		fn();
		_exit(0);
	}
	close(pipefd[1]);
	while (len + 1 < size && (n = read(pipefd[0], out + len, size - len - 1)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(pipefd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static unsigned int count_of(const char *text, const char *word)
{
	unsigned int n = 0;

	for (; (text = strstr(text, word)); text += strlen(word))
		n++;
	return n;
}

static void warn_three_times(void)
{
	/* the value of the condition comes back every time */
	if (warn_site(0) || !warn_site(1) || !warn_site(1) || !warn_site(1))
		_exit(3);
}

static void test_warn_prints_once_with_site_and_condition(void **state)
{
	char out[1024];
	int status = run_child(warn_three_times, NULL, out, sizeof(out));

	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(count_of(out, "WARNING: "), 1);
	assert_non_null(strstr(out, "test_compat.c:"));
	assert_non_null(strstr(out, ": v == 1\n"));
}

static void test_warn_aborts_when_asked(void **state)
{
	char out[1024];
	int status = run_child(warn_three_times, "1", out, sizeof(out));

	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_int_equal(count_of(out, "WARNING: "), 1);
}

static void warn_false_many(void)
{
	int i;

	for (i = 0; i < 100; i++)
		if (warn_site(0))
			_exit(3);
}

static void test_warn_silent_while_false(void **state)
{
	char out[256];
	int status = run_child(warn_false_many, "1", out, sizeof(out));

	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_string_equal(out, "");
}

/* After a timed-out wait the mutex is held again, and the order still counts. */
static void cond_wait_then_out_of_order(void)
{
	struct apc_mutex high, low;
	pthread_cond_t cond;
	struct timespec now;

	apc_mutex_init(&high, 80);
	apc_mutex_init(&low, 70);
	pthread_cond_init(&cond, NULL);
	apc_mutex_lock(&high);
	clock_gettime(CLOCK_REALTIME, &now);
	if (apc_cond_wait(&cond, &high, &now) != ETIMEDOUT)
		_exit(3);
	apc_assert_held(&high);		/* aborts if the wait lost track */
	fprintf(stderr, "held\n");
	apc_mutex_lock(&low);		/* rank 70 after 80: must abort */
	_exit(4);
}

static void test_cond_wait_keeps_owner_and_rank(void **state)
{
	char out[512];
	int status = run_child(cond_wait_then_out_of_order, NULL, out, sizeof(out));

	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_non_null(strstr(out, "held\n"));
	assert_non_null(strstr(out, "lock order violation: taking rank 70 while holding rank 80"));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_warn_prints_once_with_site_and_condition),
		cmocka_unit_test(test_warn_aborts_when_asked),
		cmocka_unit_test(test_warn_silent_while_false),
		cmocka_unit_test(test_cond_wait_keeps_owner_and_rank),
	};

	fx_apply_test_filter(argc, argv);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
