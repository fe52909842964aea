package dev.chaperone.loaddriver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessProbeTest {
    @Test
    void addsUserAndSystemTicksEvenWhenTheCommandNameHasSpacesAndParentheses() {
        String stat = "4242 (mitm dump (x)) S 1 4242 4242 0 -1 4194560 9000 0 0 0 1234 567 0 0 20 0 5 0 100 "
                + "123456789 20000 18446744073709551615 1 1 0 0 0 0 0 16781312 16386 0 0 0 17 1 0 0 0 0 0";

        assertThat(ProcessProbe.cpuTicks(stat)).isEqualTo(1234 + 567);
    }

    @Test
    void rejectsSomethingThatIsNotAStatLine() {
        assertThatThrownBy(() -> ProcessProbe.cpuTicks("no name here")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsTheResidentSetSize() {
        String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  123456 kB\nRssAnon:\t 100000 kB\n";

        assertThat(ProcessProbe.rssKiB(status)).isEqualTo(123_456);
    }

    @Test
    void readsTheHeapInUseFromJcmd() {
        String heapInfo = "12345:\n garbage-first heap   total 262144K, used 23552K [0x0000000700000000, "
                + "0x0000000800000000)\n  region size 1024K, 17 young (17408K), 2 survivors (2048K)\n";

        assertThat(ProcessProbe.heapUsedKiB(heapInfo)).hasValue(23_552);
        assertThat(ProcessProbe.heapUsedKiB("12345: no such command")).isEmpty();
    }

    @Test
    void asksJcmdOnlyAboutListedJvms() {
        String jvmList = "4242 dev.chaperone.Main\n17 jdk.jcmd/sun.tools.jcmd.JCmd -l\n";

        assertThat(ProcessProbe.listsPid(jvmList, 4242)).isTrue();
        assertThat(ProcessProbe.listsPid(jvmList, 424)).isFalse();
        assertThat(ProcessProbe.listsPid(jvmList, 1)).isFalse();
    }

    @Test
    void measuresARunningProcess() throws Exception {
        ProcessProbe self = new ProcessProbe(ProcessHandle.current().pid(), 100);

        assertThat(self.rssKiB()).isPositive();
        assertThat(self.cpuMicros()).isPositive();
    }
}
