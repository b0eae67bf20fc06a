/* A real program for test_vm_real_stack.c: exec'd under ptrace and stopped
 * before its first instruction; it never runs further. */
int main(void)
{
	return 0;
}
