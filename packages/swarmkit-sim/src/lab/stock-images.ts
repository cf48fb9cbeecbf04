// A few everyday images every lab node has, so `docker service create nginx` or
// `docker run -d alpine sleep 1d` work as students expect. Each is a small program with the
// behaviour that matters to an orchestrator: nginx serves HTTP on port 80 and stops at once on
// SIGTERM; alpine and busybox run their command (sleep, true/false/exit/echo, ping, a short
// `sh -c`).
import { parseSleepDuration } from "../cli/grammar/go-values";
import { HttpResponse } from "../engine/http/message";
import { replyHttp, serveHttp } from "../engine/http/server";
import type { ImageSpec, Program, ProgramContext, ProgramSpec } from "../engine/program";
import { echoRoundTrip } from "../engine/net/echo";
import type { Signal } from "../engine/signals";
import { type PingRequest, parsePingArgs, pingHeader, pingReply, pingStatistics } from "./busybox-ping";

const MiB = 1024 * 1024;

const NGINX_PAGE =
  "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n";
const NGINX_HEADERS: [string, string][] = [["Server", "nginx/1.27.3"]];

class NginxProgram implements Program {
  // nginx treats TERM and INT as "fast shutdown" and QUIT as "graceful shutdown".
  readonly handledSignals: readonly Signal[] = ["SIGTERM", "SIGINT", "SIGQUIT"];
  private ctx!: ProgramContext;

  start(ctx: ProgramContext): void {
    this.ctx = ctx;
    ctx.log("/docker-entrypoint.sh: Configuration complete; ready for start up");
    serveHttp(ctx, 80, { kind: "eventLoop" }, (req, inc) => {
      const found = req.path === "/" || req.path === "/index.html";
      const head = req.method === "HEAD";
      replyHttp(
        inc,
        found
          ? new HttpResponse(200, NGINX_PAGE, "text/html", "1.1", NGINX_HEADERS, head)
          : new HttpResponse(
              404,
              "<html><body><h1>404 Not Found</h1></body></html>\n",
              "text/html",
              "1.1",
              NGINX_HEADERS,
              head,
            ),
      );
    });
  }

  onSignal(): void {
    this.ctx.log("signal 15 (SIGTERM) received, exiting");
    this.ctx.exit(0);
  }
}

/** One step of what an alpine or busybox container runs: wait, print, or end with a status. */
type ScriptStep =
  | { kind: "sleep"; ms: number }
  | { kind: "echo"; text: string; stream: "stdout" | "stderr" }
  | { kind: "status"; code: number; exit: boolean }
  /** `&&`: what follows runs only if the last status was 0. */
  | { kind: "and" }
  /** BusyBox ping: echo requests once a second, the replies, the statistics at the end. */
  | { kind: "ping"; request: PingRequest }
  | { kind: "forever" };

/**
 * What the container's command does, as steps: `sleep N` (seconds, or s/m/h/d; `infinity`),
 * `tail -f ...`, `true`, `false`, `echo ...`, `ping [-c N] HOST`, and `sh -c '...'` holding such
 * commands (and `exit [N]`) separated by `;` or `&&` (which stops at the first failure). In a
 * script, a program the image does not have is sh's "not found" (status 127); one of its
 * applets the simulator does not model is said so in a [lab] line (status 127 too). A command
 * that starts with a program the image lacks never gets here: the engine refuses to start it
 * (ImageSpec.executables). The shell's other syntax is not simulated here: the lab's nodes
 * have the full shell, these small images only what their containers are typically given to
 * run.
 */
export function scriptSteps(command: readonly string[]): ScriptStep[] {
  const [prog, ...args] = command;
  if ((prog === "sh" || prog === "/bin/sh") && args[0] === "-c") return scriptOf(args[1] ?? "");
  return commandSteps(command);
}

function scriptOf(script: string): ScriptStep[] {
  const steps: ScriptStep[] = [];
  for (const part of script.split(/(;|&&)/)) {
    if (part === ";" || part === "&&") {
      if (part === "&&") steps.push({ kind: "and" });
      continue;
    }
    const words = part
      .trim()
      .split(/\s+/)
      .filter((w) => w !== "");
    if (words.length > 0) steps.push(...commandSteps(words));
  }
  return steps;
}

/**
 * BusyBox's applets in the alpine and busybox images (`busybox --list`), the programs their
 * PATH holds: a container started with another (bash, curl, python...) fails to start as runc
 * says, and a `sh -c` script that calls one gets sh's "not found".
 */
const APPLETS = new Set(
  (
    "[ [[ acpid addgroup adduser adjtimex arch arp arping ash awk base32 base64 basename bc beep " +
    "blkdiscard blkid blockdev brctl bunzip2 bzcat bzip2 cal cat chattr chgrp chmod chown chpasswd " +
    "chroot chvt cksum clear cmp comm cp cpio crond crontab cryptpw cut date dc dd deallocvt " +
    "delgroup deluser depmod df diff dirname dmesg dnsdomainname dos2unix du dumpkmap echo egrep " +
    "eject env ether-wake expand expr factor fallocate false fatattr fbset fbsplash fdflush fdisk " +
    "fgrep find findfs flock fold free fsck fstrim fsync fuser getopt getty grep groups gunzip gzip " +
    "halt hd head hexdump hostid hostname hwclock id ifconfig ifdown ifenslave ifup init inotifyd " +
    "insmod install ionice iostat ip ipaddr ipcalc ipcrm ipcs iplink ipneigh iproute iprule " +
    "iptunnel kbd_mode kill killall killall5 klogd last less link linux32 linux64 ln loadfont " +
    "loadkmap logger login logread losetup ls lsattr lsmod lsof lsusb lzcat lzma lzop lzopcat " +
    "makemime md5sum mdev mesg microcom mkdir mkdosfs mkfifo mkfs.vfat mknod mkpasswd mkswap " +
    "mktemp modinfo modprobe more mount mountpoint mpstat mv nameif nbd-client nc netstat nice nl " +
    "nmeter nohup nologin nproc nsenter nslookup ntpd od openvt partprobe passwd paste pgrep pidof " +
    "ping ping6 pipe_progress pivot_root pkill pmap poweroff printenv printf ps pscan pstree pwd " +
    "pwdx raidautorun rdate rdev readahead readlink realpath reboot reformime renice reset resize " +
    "rev rfkill rm rmdir rmmod route run-parts sed sendmail seq setconsole setfont setkeycodes " +
    "setlogcons setpriv setserial setsid sh sha1sum sha256sum sha3sum sha512sum showkey shred shuf " +
    "slattach sleep sort split stat strings stty su sum swapoff swapon switch_root sync sysctl " +
    "syslogd tac tail tar tee telnet test time timeout top touch tr traceroute traceroute6 tree " +
    "true truncate tty ttysize tunctl udhcpc udhcpc6 umount uname unexpand uniq unix2dos unlink " +
    "unlzma unlzop unshare unxz unzip uptime usleep uudecode uuencode vconfig vi vlock volname " +
    "watch watchdog wc wget which whoami whois xargs xxd xzcat yes zcat zcip"
  ).split(" "),
);

/** What the small images run; anything else they have is named in a [lab] line as not simulated. */
const SIMULATED = "sleep, tail -f, true, false, exit, echo, ping, and sh -c scripts of these";

function commandSteps(command: readonly string[]): ScriptStep[] {
  const [path, arg] = command;
  // /bin/sleep is sleep: the programs are found by name (BusyBox applets).
  const prog = path === undefined ? undefined : path.slice(path.lastIndexOf("/") + 1);
  switch (prog) {
    case undefined:
    case "sh":
    case "true":
      return [{ kind: "status", code: 0, exit: false }];
    case "false":
      return [{ kind: "status", code: 1, exit: false }];
    case "exit": {
      const code = arg === undefined ? 0 : Number(arg);
      return [{ kind: "status", code: Number.isInteger(code) ? code & 255 : 2, exit: true }];
    }
    case "echo":
      return [
        { kind: "echo", text: command.slice(1).join(" "), stream: "stdout" },
        { kind: "status", code: 0, exit: false },
      ];
    case "tail":
      return command.includes("-f") ? [{ kind: "forever" }] : [{ kind: "status", code: 0, exit: false }];
    case "sleep": {
      if (arg === "infinity") return [{ kind: "forever" }];
      const ms = arg === undefined ? undefined : parseSleepDuration(arg);
      if (ms === undefined)
        return [
          { kind: "echo", text: `sleep: invalid number '${arg ?? ""}'`, stream: "stderr" },
          { kind: "status", code: 1, exit: false },
        ];
      return [
        { kind: "sleep", ms },
        { kind: "status", code: 0, exit: false },
      ];
    }
    case "ping": {
      const request = parsePingArgs(command.slice(1));
      if ("error" in request)
        return [
          ...request.error
            .trimEnd()
            .split("\n")
            .map((text): ScriptStep => ({ kind: "echo", text, stream: "stderr" })),
          { kind: "status", code: 1, exit: false },
        ];
      return [{ kind: "ping", request }];
    }
    default:
      return [
        !APPLETS.has(prog)
          ? { kind: "echo", text: `sh: ${path}: not found`, stream: "stderr" }
          : {
              kind: "echo",
              text: `[lab] ${prog} is not simulated in this image; it runs ${SIMULATED}`,
              stream: "stderr",
            },
        { kind: "status", code: 127, exit: false },
      ];
  }
}

class ShellProgram implements Program {
  private readonly steps: ScriptStep[];
  private status = 0;
  /** BusyBox ping installs a handler for SIGINT (Ctrl-C): its statistics, then exit. */
  readonly handledSignals: readonly Signal[];
  /** The ping under way, for that handler. */
  private pinging: { host: string; sent: number; times: number[]; ctx: ProgramContext } | undefined;

  constructor(spec: ProgramSpec) {
    this.steps = scriptSteps(spec.command);
    this.handledSignals = this.steps.some((s) => s.kind === "ping") ? ["SIGINT"] : [];
  }

  onSignal(): void {
    const p = this.pinging;
    if (p === undefined) return;
    this.pinging = undefined;
    logLines(p.ctx, pingStatistics(p.host, p.sent, p.times));
    p.ctx.exit(p.times.length > 0 ? 0 : 1);
  }

  start(ctx: ProgramContext): void {
    this.next(ctx, 0);
  }

  /** Runs the steps from `i`; a sleep continues on a timer. PID 1 without a handler ignores SIGTERM. */
  private next(ctx: ProgramContext, i: number): void {
    for (; i < this.steps.length; i++) {
      const step = this.steps[i];
      switch (step.kind) {
        case "forever":
          return;
        case "sleep":
          if (step.ms > 0) {
            ctx.after(step.ms, () => this.next(ctx, i + 1));
            return;
          }
          break;
        case "echo":
          ctx.log(step.text, step.stream);
          break;
        case "ping":
          this.ping(ctx, step.request, i);
          return;
        case "and":
          if (this.status !== 0) {
            ctx.exit(this.status);
            return;
          }
          break;
        case "status":
          this.status = step.code;
          if (step.exit) {
            ctx.exit(this.status);
            return;
          }
      }
    }
    ctx.exit(this.status);
  }

  /**
   * One echo request a second (the next one a second after the last was sent, or after its
   * reply), each reply a line; after COUNT requests, the statistics and the next step, with
   * status 0 when something answered. A name the container cannot resolve (anything outside
   * the lab: the simulated world has no internet) is BusyBox's "bad address", status 1.
   */
  private ping(ctx: ProgramContext, request: PingRequest, i: number): void {
    const { host, count } = request;
    // The image's /etc/hosts has localhost as 127.0.0.1 (the container's DNS gives its own address).
    const address = host === "localhost" ? "127.0.0.1" : ctx.resolve(host);
    if (address === undefined) {
      ctx.log(`ping: bad address '${host}'`, "stderr");
      this.status = 1;
      this.next(ctx, i + 1);
      return;
    }
    logLines(ctx, pingHeader(host, address));
    const p = { host, sent: 0, times: [] as number[], ctx };
    this.pinging = p;
    const finish = () => {
      if (this.pinging !== p) return;
      this.pinging = undefined;
      logLines(ctx, pingStatistics(host, p.sent, p.times));
      this.status = p.times.length > 0 ? 0 : 1;
      this.next(ctx, i + 1);
    };
    const send = () => {
      const seq = p.sent++;
      const rtt = echoRoundTrip(ctx.net, address, ctx.random);
      if (rtt === undefined) {
        ctx.after(1000, p.sent < count ? send : finish);
        return;
      }
      ctx.after(rtt, () => {
        p.times.push(rtt);
        logLines(ctx, pingReply(address, seq, rtt));
        if (p.sent < count) ctx.after(1000 - rtt, send);
        else finish();
      });
    };
    send();
  }
}

/** Writes text to the container's log a line at a time (a blank line stays a line). */
function logLines(ctx: ProgramContext, text: string): void {
  for (const line of text.replace(/\n$/, "").split("\n")) ctx.log(line);
}

export const STOCK_IMAGES: ImageSpec[] = [
  {
    name: "nginx:latest",
    entrypoint: ["/docker-entrypoint.sh"],
    command: ["nginx", "-g", "daemon off;"],
    stopSignal: "SIGQUIT",
    exposedPorts: [80],
    footprint: { memoryBytes: 7.5 * MiB, pids: 3 },
    create: () => new NginxProgram(),
  },
  ...["alpine:latest", "busybox:latest"].map(
    (name): ImageSpec => ({
      name,
      command: ["/bin/sh"],
      footprint: { memoryBytes: 0.5 * MiB, pids: 1 },
      executables: APPLETS,
      create: (spec) => new ShellProgram(spec),
    }),
  ),
];
