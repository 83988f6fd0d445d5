package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// The crash test runs `tinhso serve` as a child process: this test binary again, told
// by envCrashServe to run the command with the arguments in envCrashArgs (one a line)
// instead of testing.
const (
	envCrashServe = "TINHSO_TEST_CRASH_SERVE"
	envCrashArgs  = "TINHSO_TEST_CRASH_ARGS"
	crashToken    = "crash-test-admin-token-0123456789"
)

func TestMain(m *testing.M) {
	if os.Getenv(envCrashServe) != "" {
		if err := run(context.Background(), strings.Split(os.Getenv(envCrashArgs), "\n"), os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "tinhso:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// crashServer is a `tinhso serve` child process.
type crashServer struct {
	cmd    *exec.Cmd
	addr   string
	stderr *syncBuffer
}

// startCrashServer starts the server and waits for its "listening" line.
func startCrashServer(t *testing.T, args []string) *crashServer {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envCrashServe+"=1", envCrashArgs+"="+strings.Join(args, "\n"), "TINHSO_ADMIN_TOKEN="+crashToken, "TINHSO_NO_SEED=1")
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &crashServer{cmd: cmd, stderr: &syncBuffer{}}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(pipe)
	for lines.Scan() {
		line := lines.Text()
		s.stderr.Write([]byte(line + "\n"))
		if strings.Contains(line, "msg=listening") {
			_, a, _ := strings.Cut(line, "addr=")
			s.addr = strings.Fields(a)[0]
			break
		}
	}
	if s.addr == "" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the server did not start:\n%s", s.stderr.String())
	}
	go func() { // keep the pipe drained
		for lines.Scan() {
			s.stderr.Write([]byte(lines.Text() + "\n"))
		}
	}()
	return s
}

// kill ends the server with SIGKILL.
func (s *crashServer) kill() {
	s.cmd.Process.Kill()
	s.cmd.Wait()
}

// Kill -9 `tinhso serve` 20 times during sustained ingest from several clients through
// InfluxDB's write path; after each restart every point the server acknowledged is
// read back with its value through the series API.
func TestServeCrashKeepsAcknowledgedPoints(t *testing.T) {
	if testing.Short() {
		t.Skip("kills the server 20 times")
	}
	sqldbtest.RunSerial(t, func(t *testing.T, engine string) {
		args := []string{"serve", "--mqtt-addr", "", "--addr", "127.0.0.1:0", "--data", t.TempDir()}
		if engine != "sqlite" {
			args = append(args, "--database-url", sqldbtest.Config(t, engine).URL)
		}
		const clients, perBatch = 4, 200
		value := func(c int, ts int64) float64 { return float64((ts/1e6)%100000+int64(c)) / 100 }
		base := time.Now().Add(-20 * time.Hour).Truncate(time.Second).UnixNano()
		acked := make([][]int64, clients) // first times of the acknowledged batches
		next := make([]int64, clients)
		r := rand.New(rand.NewPCG(uint64(len(engine)), 12))
		hc := &http.Client{Timeout: 30 * time.Second}
		total := 0
		for round := 0; round <= 20; round++ {
			s := startCrashServer(t, args)
			// Every point acknowledged before the last kill is there.
			for c := range clients {
				checkAcked(t, hc, s.addr, c, base, perBatch, next[c], acked[c], value, round)
			}
			if round == 20 {
				s.kill()
				break
			}
			var mu sync.Mutex
			ackedNow := 0
			enough := make(chan struct{})
			var wg sync.WaitGroup
			for c := range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						mu.Lock()
						k := next[c]
						next[c]++
						mu.Unlock()
						first := base + k*perBatch*int64(time.Millisecond)
						var body bytes.Buffer
						for i := range perBatch {
							ts := first + int64(i)*int64(time.Millisecond)
							fmt.Fprintf(&body, "crash,client=%d value=%g %d\n", c, value(c, ts), ts)
						}
						req, _ := http.NewRequest("POST", "http://"+s.addr+"/api/v2/write?org=tinh&bucket=crash", &body)
						req.Header.Set("Authorization", "Token "+crashToken)
						resp, err := hc.Do(req)
						if err != nil {
							return // killed
						}
						msg, _ := io.ReadAll(resp.Body)
						resp.Body.Close()
						if resp.StatusCode == 429 {
							continue
						}
						if resp.StatusCode != 204 {
							t.Errorf("round %d: status %d %s", round, resp.StatusCode, msg)
							return
						}
						mu.Lock()
						acked[c] = append(acked[c], first)
						ackedNow++
						if ackedNow == 8 {
							close(enough)
						}
						mu.Unlock()
					}
				}()
			}
			stopped := make(chan struct{})
			go func() { wg.Wait(); close(stopped) }()
			select {
			case <-enough:
			case <-stopped:
				t.Fatalf("round %d: the clients stopped before 8 batches were acknowledged:\n%s", round, s.stderr.String())
			case <-time.After(60 * time.Second):
				t.Fatalf("round %d: no batch acknowledged within 60 s:\n%s", round, s.stderr.String())
			}
			// Not a synchronisation: the kill lands at a random moment of the ingest.
			time.Sleep(time.Duration(r.IntN(150)) * time.Millisecond)
			s.kill()
			wg.Wait()
			total += ackedNow
		}
		t.Logf("%s: 20 kills of tinhso serve; %d batches (%d points) acknowledged, all read back after each restart", engine, total, total*perBatch)
	})
}

// checkAcked reads client c's points back through GET /api/v1/series/{key}/points, in
// windows, and fails unless every acknowledged batch is there with its values.
func checkAcked(t *testing.T, client *http.Client, addr string, c int, base int64, perBatch int, batches int64, acked []int64, value func(int, int64) float64, round int) {
	t.Helper()
	if len(acked) == 0 {
		return
	}
	key := fmt.Sprintf("crash,client=%d", c) // the field value adds nothing to the key
	have := map[int64]float64{}
	const window = 250 // batches per query: 50,000 points
	for w := int64(0); w < batches; w += window {
		from := time.Unix(0, base+w*int64(perBatch)*int64(time.Millisecond))
		to := time.Unix(0, base+(w+window)*int64(perBatch)*int64(time.Millisecond))
		for _, p := range rawPoints(t, client, addr, key, from, to, round) {
			have[p.Time.UnixNano()] = p.Value
		}
	}
	for _, first := range acked {
		for i := range perBatch {
			ts := first + int64(i)*int64(time.Millisecond)
			if v, ok := have[ts]; !ok || v != value(c, ts) {
				t.Fatalf("round %d: client %d: acknowledged point %d is %v (present %v) after the restart", round, c, ts, v, ok)
			}
		}
	}
}

// rawPoints reads a series' stored points in [from, to) through
// GET /api/v1/series/{key}/points, failing the test unless the server answers.
func rawPoints(t *testing.T, client *http.Client, addr, key string, from, to time.Time, round int) []rawPoint {
	t.Helper()
	q := "resolution=raw&from=" + url.QueryEscape(from.UTC().Format(time.RFC3339Nano)) + "&to=" + url.QueryEscape(to.UTC().Format(time.RFC3339Nano))
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/series/"+url.PathEscape(key)+"/points?"+q, nil)
	req.Header.Set("Authorization", "Bearer "+crashToken)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Items []rawPoint `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); resp.StatusCode != 200 || err != nil {
		t.Fatalf("round %d: points of %s: %d %v", round, key, resp.StatusCode, err)
	}
	return body.Items
}

// rawPoint is one point as the series API gives it.
type rawPoint struct {
	Time  time.Time `json:"time"`
	Value float64   `json:"value"`
}
