package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// Kill -9 `tinhso serve` 20 times during sustained MQTT QoS 1 publishing by Debian's
// mosquitto_pub (4 connections, 64 messages in flight each, one point per message);
// after each restart every point whose PUBACK a client received is read back.
func TestServeCrashKeepsPUBACKedPoints(t *testing.T) {
	if testing.Short() {
		t.Skip("kills the server 20 times")
	}
	if _, err := exec.LookPath("mosquitto_pub"); err != nil {
		t.Fatal("mosquitto_pub is needed (apt-get install mosquitto-clients)")
	}
	sqldbtest.RunSerial(t, func(t *testing.T, engine string) {
		args := []string{"serve", "--mqtt-addr", "127.0.0.1:0", "--addr", "127.0.0.1:0", "--data", t.TempDir()}
		if engine != "sqlite" {
			args = append(args, "--database-url", sqldbtest.Config(t, engine).URL)
		}
		const clients, perRound = 4, 20000
		base := time.Now().Add(-20 * time.Hour).Truncate(time.Second).UnixMilli()
		// Round r, client c, line i: the point at base + r·perRound + i ms, value i + c/10.
		at := func(r, i int) int64 { return base + int64(r*perRound+i) }
		acked := make([]map[int64]float64, clients)
		for c := range acked {
			acked[c] = map[int64]float64{}
		}
		rnd := rand.New(rand.NewPCG(uint64(len(engine)), 13))
		hc := &http.Client{Timeout: 30 * time.Second}
		total := 0
		for round := 0; round <= 20; round++ {
			s := startCrashServer(t, args)
			_, rest, _ := strings.Cut(s.stderr.String(), `msg="mqtt listening" addr=`)
			host, port, ok := strings.Cut(strings.Fields(rest + " ")[0], ":")
			if !ok {
				t.Fatalf("no MQTT address:\n%s", s.stderr.String())
			}
			for c := range clients {
				checkPUBACKed(t, hc, s.addr, c, acked[c], round)
			}
			if round == 20 {
				s.kill()
				break
			}
			var mu sync.Mutex
			ackedNow := 0
			enough := make(chan struct{})
			var wg sync.WaitGroup
			var pubs []*exec.Cmd
			for c := range clients {
				var in strings.Builder
				for i := range perRound {
					fmt.Fprintf(&in, `{"time": %d, "value": %g}`+"\n", at(round, i), float64(i)+float64(c)/10)
				}
				cmd := exec.Command("mosquitto_pub", "-d", "-h", host, "-p", port, "-u", "crash", "-P", crashToken,
					"-V", []string{"mqttv311", "mqttv5"}[c%2], "-q", "1", "-M", "64", "-t", fmt.Sprintf("tinhso/series/mcrash.%d", c), "-l")
				cmd.Stdin = strings.NewReader(in.String())
				out, err := cmd.StdoutPipe()
				if err != nil {
					t.Fatal(err)
				}
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				pubs = append(pubs, cmd)
				wg.Add(1)
				go func() {
					defer wg.Done()
					defer cmd.Wait()
					sc := bufio.NewScanner(out)
					for sc.Scan() {
						// "Client … received PUBACK (Mid: 17, RC:0)": mids count the lines from 1.
						_, m, ok := strings.Cut(sc.Text(), "received PUBACK (Mid: ")
						if !ok {
							continue
						}
						mid, err := strconv.Atoi(strings.TrimRight(strings.Fields(m)[0], ","))
						if err != nil || mid < 1 || mid > perRound {
							t.Errorf("PUBACK line %q", sc.Text())
							continue
						}
						if strings.Contains(m, "RC:") && !strings.Contains(m, "RC:0") {
							continue // a refusal (MQTT 5) is not an acknowledgement
						}
						i := mid - 1
						mu.Lock()
						acked[c][at(round, i)] = float64(i) + float64(c)/10
						ackedNow++
						if ackedNow == 500 {
							close(enough)
						}
						mu.Unlock()
					}
				}()
			}
			select {
			case <-enough:
			case <-time.After(60 * time.Second):
				t.Fatalf("round %d: fewer than 500 PUBACKs within 60 s:\n%s", round, s.stderr.String())
			}
			// Not a synchronisation: the kill lands at a random moment of the publishing.
			time.Sleep(time.Duration(rnd.IntN(300)) * time.Millisecond)
			s.kill()
			// mosquitto_pub -l would reconnect; no PUBACK can come from a dead server.
			for _, p := range pubs {
				_ = p.Process.Kill()
			}
			wg.Wait()
			mu.Lock()
			total += ackedNow
			mu.Unlock()
		}
		t.Logf("%s: 20 kills of tinhso serve during MQTT QoS 1 publishing; %d points PUBACKed, all read back after each restart", engine, total)
	})
}

// checkPUBACKed reads client c's series back and fails unless every PUBACKed point is
// there with its value.
func checkPUBACKed(t *testing.T, client *http.Client, addr string, c int, acked map[int64]float64, round int) {
	t.Helper()
	if len(acked) == 0 {
		return
	}
	lo, hi := int64(1<<62), int64(0)
	for ms := range acked {
		lo, hi = min(lo, ms), max(hi, ms)
	}
	have := map[int64]float64{}
	for from := lo; from <= hi; from += 50_000 {
		for _, p := range rawPoints(t, client, addr, fmt.Sprintf("mcrash.%d", c), time.UnixMilli(from), time.UnixMilli(from+50_000), round) {
			have[p.Time.UnixMilli()] = p.Value
		}
	}
	for ms, v := range acked {
		if got, ok := have[ms]; !ok || got != v {
			t.Fatalf("round %d: client %d: PUBACKed point at %d ms is %v (present %v), want %v", round, c, ms, got, ok, v)
		}
	}
}
