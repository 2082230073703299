/*
 * uno-emulator: an emulated Arduino Uno (ATmega328P, 16 MHz) over libsimavr.
 *
 * Two modes:
 *   pty mode (default): UART0 is bridged to a pseudo-terminal that any serial client opens like a
 *     real port. The MCU is held while no client has the port open and is reset each time one
 *     opens it (a Uno's DTR auto-reset). Emulated time is paced to real time unless --fast.
 *     Prints one JSON ready line on stdout: {"ready":true,"pty":"/dev/pts/N","link":...}.
 *   headless mode (--headless): runs the program unpaced, UART0 output goes to stdout, and the
 *     program ends when it halts (returns from main: `cli` + endless loop, or `cli; sleep`), writes
 *     GPIOR2, or runs out of --max-cycles / --timeout-ms. The last stderr line says how it ended.
 *
 * Debug registers (the same in both modes; none exists on a real Uno board's pins, so firmware
 * may write them freely; a real chip just stores the value):
 *   GPIOR0 (I/O 0x1E) write v: prints "cycles <avr->cycle> <v>" on stderr (time code sections).
 *   GPIOR1 (I/O 0x2A) write v: byte v appended to the output like UART0 but with no baud delay.
 *   GPIOR2 (I/O 0x2B) write v: headless mode ends with exit status v.
 *
 * Usage: uno-emulator [--headless] [--fast] [--link PATH] [--bootloader FILE.hex]
 *                     [--max-cycles N] [--timeout-ms N] [--parent-watch] FIRMWARE.elf|.hex
 * --parent-watch: exit when stdin reaches end of file (the spawning process went away).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <simavr/avr_uart.h>
#include <simavr/sim_avr.h>
#include <simavr/sim_elf.h>
#include <simavr/sim_hex.h>
#include <simavr/sim_io.h>
#include <simavr/sim_irq.h>

#define TML_FREQ_HZ 16000000u
/* Data-space addresses (I/O address + 0x20) from avr-libc's iom328p.h. */
#define TML_GPIOR0 0x3E
#define TML_GPIOR1 0x4A
#define TML_GPIOR2 0x4B
#define TML_MCUSR 0x54
#define TML_MCUSR_EXTRF 0x02
/* Emulated time run between two looks at the pty: 1 ms. */
#define TML_SLICE_CYCLES (TML_FREQ_HZ / 1000u)
#define TML_OUT_CAP 65536
#define TML_IN_CAP 4096

static avr_t *g_avr;
static int g_headless;
static int g_fast;
static int g_master = -1;
static const char *g_link;
static uint32_t g_boot_addr; /* 0: no bootloader */
static volatile sig_atomic_t g_stop;
static int g_exit_code = -1;

static uint8_t g_out[TML_OUT_CAP];
static size_t g_out_len;
static unsigned long g_out_dropped;
static uint8_t g_in[TML_IN_CAP];
static size_t g_in_head, g_in_len;
static int g_xon = 1;
static avr_irq_t *g_uart_in_irq;

static void on_signal(int sig) {
  (void)sig;
  g_stop = 1;
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void out_byte(uint8_t b) {
  if (g_headless) {
    putchar(b);
    return;
  }
  if (g_out_len < TML_OUT_CAP) {
    g_out[g_out_len++] = b;
  } else {
    g_out_dropped++;
  }
}

static void uart_out_hook(struct avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq;
  (void)param;
  out_byte((uint8_t)value);
}

/* Feed queued host bytes while the UART's receive FIFO has room (XON). */
static void feed_input(void) {
  while (g_xon && g_in_len > 0) {
    uint8_t b = g_in[g_in_head];
    g_in_head = (g_in_head + 1) % TML_IN_CAP;
    g_in_len--;
    avr_raise_irq(g_uart_in_irq, b);
  }
}

static void uart_xon_hook(struct avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq;
  (void)value;
  (void)param;
  g_xon = 1;
  feed_input();
}

static void uart_xoff_hook(struct avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq;
  (void)value;
  (void)param;
  g_xon = 0;
}

static void gpior0_write(avr_t *avr, avr_io_addr_t addr, uint8_t v, void *param) {
  (void)param;
  avr->data[addr] = v;
  fprintf(stderr, "cycles %llu %u\n", (unsigned long long)avr->cycle, (unsigned)v);
}

static void gpior1_write(avr_t *avr, avr_io_addr_t addr, uint8_t v, void *param) {
  (void)param;
  avr->data[addr] = v;
  out_byte(v);
}

static void gpior2_write(avr_t *avr, avr_io_addr_t addr, uint8_t v, void *param) {
  (void)param;
  avr->data[addr] = v;
  if (g_headless) {
    g_exit_code = v;
  }
}

/* libsimavr's chatter ("Loaded 1834 .text") must never mix with UART output on stdout. */
static void log_to_stderr(avr_t *avr, const int level, const char *format, va_list ap) {
  (void)avr;
  if (level <= LOG_ERROR) vfprintf(stderr, format, ap);
}

/* Emulated time is paced by the main loop, never by simavr's own usleep. */
static void no_sleep(avr_t *avr, avr_cycle_count_t how_long) {
  (void)avr;
  (void)how_long;
}

static int load_hex_at(avr_t *avr, const char *path, uint32_t *lowest) {
  ihex_chunk_p chunks = NULL;
  int n = read_ihex_chunks(path, &chunks);
  if (n <= 0) {
    fprintf(stderr, "uno-emulator: cannot read Intel HEX file '%s'\n", path);
    return -1;
  }
  uint32_t low = UINT32_MAX;
  for (int i = 0; i < n; i++) {
    if (chunks[i].baseaddr + chunks[i].size > avr->flashend + 1) {
      fprintf(stderr, "uno-emulator: '%s' has data at 0x%x past the 32 KB flash\n", path,
              (unsigned)(chunks[i].baseaddr + chunks[i].size));
      free_ihex_chunks(chunks);
      return -1;
    }
    avr_loadcode(avr, chunks[i].data, chunks[i].size, chunks[i].baseaddr);
    if (chunks[i].baseaddr < low) low = chunks[i].baseaddr;
  }
  free_ihex_chunks(chunks);
  if (lowest) *lowest = low;
  avr->codeend = avr->flashend;
  return 0;
}

static int ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

/* Reset as the external RESET pin does: optiboot only stays when EXTRF is set. */
static void reset_mcu(void) {
  avr_reset(g_avr);
  if (g_boot_addr) {
    g_avr->pc = g_boot_addr;
    g_avr->data[TML_MCUSR] |= TML_MCUSR_EXTRF;
  }
  g_in_len = 0;
  g_in_head = 0;
  g_out_len = 0;
}

/* Prints s as a JSON string (paths may hold quotes or backslashes). */
static void print_json_string(const char *s) {
  putchar('"');
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') printf("\\%c", c);
    else if (c < 0x20) printf("\\u%04x", c);
    else putchar(c);
  }
  putchar('"');
}

static void usage(void) {
  fprintf(stderr,
          "usage: uno-emulator [--headless] [--fast] [--link PATH] [--bootloader FILE.hex]\n"
          "                    [--max-cycles N] [--timeout-ms N] [--parent-watch] FIRMWARE.elf|.hex\n");
}

static int open_pty(char *name, size_t cap) {
  int fd = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
  if (fd < 0 || grantpt(fd) != 0 || unlockpt(fd) != 0) return -1;
  const char *sname = ptsname(fd);
  if (!sname) return -1;
  snprintf(name, cap, "%s", sname);
  /* Raw mode so the bytes pass unchanged even for a client that does not set termios. */
  int s = open(name, O_RDWR | O_NOCTTY);
  if (s >= 0) {
    struct termios t;
    if (tcgetattr(s, &t) == 0) {
      cfmakeraw(&t);
      cfsetispeed(&t, B115200);
      cfsetospeed(&t, B115200);
      tcsetattr(s, TCSANOW, &t);
    }
    close(s);
  }
  return fd;
}

static void sleep_ns(uint64_t ns) {
  struct timespec ts = {(time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull)};
  nanosleep(&ts, NULL);
}

/* Headless: run to the end; returns the process exit status. */
static int run_headless(uint64_t max_cycles, uint64_t timeout_ms) {
  uint64_t t0 = now_ns();
  uint64_t start = g_avr->cycle;
  uint32_t prev_pc = UINT32_MAX;
  for (;;) {
    for (uint32_t i = 0; i < 4096; i++) {
      int state = avr_run(g_avr);
      if (g_exit_code >= 0) {
        fflush(stdout);
        fprintf(stderr, "exit %d cycles %llu\n", g_exit_code, (unsigned long long)(g_avr->cycle - start));
        return g_exit_code;
      }
      /* `cli` then a jump to itself is avr-libc's end of program (after main returns). */
      int halted = (g_avr->pc == prev_pc && !g_avr->sreg[S_I]);
      if (state == cpu_Done || state == cpu_Crashed || halted) {
        int code = state == cpu_Crashed ? 3 : (int)(g_avr->data[24] | (g_avr->data[25] << 8));
        fflush(stdout);
        fprintf(stderr, "%s %d cycles %llu\n", state == cpu_Crashed ? "crashed" : "exit", code,
                (unsigned long long)(g_avr->cycle - start));
        return state == cpu_Crashed ? 3 : (code & 0xff);
      }
      prev_pc = g_avr->pc;
    }
    if (max_cycles && g_avr->cycle - start >= max_cycles) {
      fflush(stdout);
      fprintf(stderr, "timeout cycles %llu\n", (unsigned long long)(g_avr->cycle - start));
      return 124;
    }
    if ((timeout_ms && (now_ns() - t0) / 1000000ull >= timeout_ms) || g_stop) {
      fflush(stdout);
      fprintf(stderr, "timeout cycles %llu\n", (unsigned long long)(g_avr->cycle - start));
      return 124;
    }
  }
}

static int run_pty(int parent_watch) {
  int opened = 0;
  uint64_t anchor_ns = 0, anchor_cycle = 0;
  for (;;) {
    if (g_stop) return 0;
    struct pollfd p[2];
    p[0].fd = g_master;
    p[0].events = POLLIN;
    p[0].revents = 0;
    p[1].fd = STDIN_FILENO;
    p[1].events = POLLIN;
    p[1].revents = 0;
    int nfds = parent_watch ? 2 : 1;
    poll(p, nfds, 0);
    if (parent_watch && (p[1].revents & (POLLIN | POLLHUP))) {
      char buf[256];
      ssize_t r = read(STDIN_FILENO, buf, sizeof buf);
      if (r <= 0) return 0;
    }
    int hup = (p[0].revents & POLLHUP) != 0;
    if (hup) {
      if (opened) {
        opened = 0;
        printf("{\"event\":\"closed\"}\n");
        fflush(stdout);
      }
      sleep_ns(5000000ull); /* nobody listens: hold the MCU, poll again in 5 ms */
      continue;
    }
    if (!opened) {
      opened = 1;
      reset_mcu();
      tcflush(g_master, TCIOFLUSH);
      anchor_ns = now_ns();
      anchor_cycle = g_avr->cycle;
      printf("{\"event\":\"reset\"}\n");
      fflush(stdout);
    }
    if (p[0].revents & POLLIN) {
      uint8_t buf[512];
      ssize_t r = read(g_master, buf, sizeof buf);
      for (ssize_t i = 0; i < r; i++) {
        if (g_in_len < TML_IN_CAP) {
          g_in[(g_in_head + g_in_len) % TML_IN_CAP] = buf[i];
          g_in_len++;
        }
      }
    }
    feed_input();
    uint64_t target = g_avr->cycle + TML_SLICE_CYCLES;
    while (g_avr->cycle < target) {
      int state = avr_run(g_avr);
      if (state == cpu_Done || state == cpu_Crashed) {
        /* A halted chip stays silent until the next reset, like real hardware. */
        g_avr->cycle = target;
        break;
      }
    }
    if (g_out_len > 0) {
      ssize_t w = write(g_master, g_out, g_out_len);
      if (w > 0) {
        memmove(g_out, g_out + w, g_out_len - (size_t)w);
        g_out_len -= (size_t)w;
      } else if (w < 0 && errno != EAGAIN && errno != EIO) {
        g_out_len = 0;
      }
    }
    if (!g_fast) {
      uint64_t emu_ns = (g_avr->cycle - anchor_cycle) * 1000ull / (TML_FREQ_HZ / 1000000u);
      uint64_t wall_ns = now_ns() - anchor_ns;
      if (emu_ns > wall_ns + 1000000ull) {
        /* Ahead of real time: wait, but wake early for host input. */
        struct pollfd q = {g_master, POLLIN, 0};
        poll(&q, 1, (int)((emu_ns - wall_ns) / 1000000ull));
      } else if (wall_ns > emu_ns + 200000000ull) {
        /* Far behind (host was busy): do not race to catch up, drift the anchor instead. */
        anchor_ns = now_ns();
        anchor_cycle = g_avr->cycle;
      }
    }
  }
}

int main(int argc, char **argv) {
  const char *firmware = NULL;
  const char *bootloader = NULL;
  uint64_t max_cycles = 0, timeout_ms = 0;
  int parent_watch = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--headless")) g_headless = 1;
    else if (!strcmp(argv[i], "--fast")) g_fast = 1;
    else if (!strcmp(argv[i], "--parent-watch")) parent_watch = 1;
    else if (!strcmp(argv[i], "--link") && i + 1 < argc) g_link = argv[++i];
    else if (!strcmp(argv[i], "--bootloader") && i + 1 < argc) bootloader = argv[++i];
    else if (!strcmp(argv[i], "--max-cycles") && i + 1 < argc) max_cycles = strtoull(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--timeout-ms") && i + 1 < argc) timeout_ms = strtoull(argv[++i], NULL, 10);
    else if (argv[i][0] == '-') {
      fprintf(stderr, "uno-emulator: unknown option '%s'\n", argv[i]);
      usage();
      return 2;
    } else firmware = argv[i];
  }
  if (!firmware && !bootloader) {
    usage();
    return 2;
  }

  avr_global_logger_set(log_to_stderr);
  g_avr = avr_make_mcu_by_name("atmega328p");
  if (!g_avr) {
    fprintf(stderr, "uno-emulator: libsimavr has no atmega328p core\n");
    return 2;
  }
  avr_init(g_avr);
  g_avr->frequency = TML_FREQ_HZ;
  g_avr->log = LOG_ERROR;
  g_avr->sleep = no_sleep;

  if (firmware) {
    if (ends_with(firmware, ".hex")) {
      if (load_hex_at(g_avr, firmware, NULL) != 0) return 2;
    } else {
      elf_firmware_t f;
      memset(&f, 0, sizeof f);
      if (elf_read_firmware(firmware, &f) != 0) {
        fprintf(stderr, "uno-emulator: cannot read ELF file '%s'\n", firmware);
        return 2;
      }
      snprintf(f.mmcu, sizeof f.mmcu, "atmega328p");
      f.frequency = TML_FREQ_HZ;
      avr_load_firmware(g_avr, &f);
      g_avr->frequency = TML_FREQ_HZ;
    }
  }
  if (bootloader) {
    uint32_t low = 0;
    if (load_hex_at(g_avr, bootloader, &low) != 0) return 2;
    /* BOOTRST is not emulated: start where the boot section starts. */
    g_boot_addr = low;
    g_avr->reset_pc = low;
    g_avr->pc = low;
    g_avr->data[TML_MCUSR] |= TML_MCUSR_EXTRF;
  }

  uint32_t flags = 0;
  avr_ioctl(g_avr, AVR_IOCTL_UART_GET_FLAGS('0'), &flags);
  flags &= ~(uint32_t)(AVR_UART_FLAG_POLL_SLEEP | AVR_UART_FLAG_STDIO);
  avr_ioctl(g_avr, AVR_IOCTL_UART_SET_FLAGS('0'), &flags);
  g_uart_in_irq = avr_io_getirq(g_avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_INPUT);
  avr_irq_register_notify(avr_io_getirq(g_avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUTPUT), uart_out_hook, NULL);
  avr_irq_register_notify(avr_io_getirq(g_avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XON), uart_xon_hook, NULL);
  avr_irq_register_notify(avr_io_getirq(g_avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XOFF), uart_xoff_hook, NULL);
  avr_register_io_write(g_avr, TML_GPIOR0, gpior0_write, NULL);
  avr_register_io_write(g_avr, TML_GPIOR1, gpior1_write, NULL);
  avr_register_io_write(g_avr, TML_GPIOR2, gpior2_write, NULL);

  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  signal(SIGPIPE, SIG_IGN);

  if (g_headless) {
    int code = run_headless(max_cycles, timeout_ms);
    fflush(stdout);
    return code;
  }

  char name[128];
  g_master = open_pty(name, sizeof name);
  if (g_master < 0) {
    fprintf(stderr, "uno-emulator: cannot create a pseudo-terminal: %s\n", strerror(errno));
    return 2;
  }
  if (g_link) {
    unlink(g_link);
    if (symlink(name, g_link) != 0) {
      fprintf(stderr, "uno-emulator: cannot create link '%s': %s\n", g_link, strerror(errno));
      return 2;
    }
  }
  printf("{\"ready\":true,\"pty\":");
  print_json_string(name);
  if (g_link) {
    printf(",\"link\":");
    print_json_string(g_link);
  }
  printf(",\"paced\":%s}\n", g_fast ? "false" : "true");
  fflush(stdout);
  int code = run_pty(parent_watch);
  if (g_link) unlink(g_link);
  close(g_master);
  if (g_out_dropped) fprintf(stderr, "uno-emulator: %lu output bytes dropped (host not reading)\n", g_out_dropped);
  return code;
}
