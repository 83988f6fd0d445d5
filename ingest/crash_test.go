package ingest_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/bus"
	"github.com/tinhso/tinhso/ingest"
	"github.com/tinhso/tinhso/ingest/internal/ingestserver"
	"github.com/tinhso/tinhso/sqldb"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// The crash test runs the server as a child process: this test binary again, told by
// these variables to serve instead of testing.
const (
	envServe  = "TINHSO_INGEST_CRASH_SERVE"
	envDBPath = "TINHSO_INGEST_CRASH_DB_PATH"
	envDBURL  = "TINHSO_INGEST_CRASH_DB_URL"
	crashTok  = "tsk_crash_0123456789abcdef"
)

func TestMain(m *testing.M) {
	if os.Getenv(envServe) != "" {
		serveForCrash()
		return
	}
	os.Exit(m.Run())
}

// serveForCrash serves until killed, printing its address first.
func serveForCrash() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	_, err = ingestserver.Start(context.Background(), ln, ingestserver.Options{
		DB:     sqldb.Config{Path: os.Getenv(envDBPath), URL: os.Getenv(envDBURL), MaxConns: 8},
		Token:  crashTok,
		Limits: bus.Limits{MaxMessages: 1000, MaxPoints: 1_000_000},
		// Fold often, so that kills land in folds as well as in writes.
		Writer: ingest.WriterConfig{CompactEvery: 20 * time.Millisecond},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening %s\n", ln.Addr())
	select {}
}

// Kill -9 the server 20 times during sustained ingest from several clients; after each
// kill every point the server acknowledged is in the store with its value.
func TestCrashAcknowledgedPointsSurvive(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a server 20 times")
	}
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		cfg := sqldbtest.Config(t, engine)
		env := append(os.Environ(), envServe+"=1", envDBPath+"="+cfg.Path, envDBURL+"="+cfg.URL)
		r := rand.New(rand.NewPCG(uint64(len(engine)), 7))
		const clients, perBatch = 4, 250
		// acked[c] lists the first time of each acknowledged batch of client c.
		acked := make([][]int64, clients)
		base := time.Now().Add(-20 * time.Hour).Truncate(time.Second).UnixNano()
		next := make([]int64, clients) // the next batch number of each client
		value := func(c int, ts int64) float64 { return float64((ts/1e6)%100000+int64(c)) / 100 }
		totalAcked := 0
		for round := range 20 {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = env
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			line, err := bufio.NewReader(out).ReadString('\n')
			addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
			if err != nil || !ok {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("round %d: the server did not start: %q %v %s", round, line, err, stderr.String())
			}
			var mu sync.Mutex
			ackedNow := 0
			enough := make(chan struct{})
			var wg sync.WaitGroup
			client := &http.Client{Timeout: 30 * time.Second}
			for c := range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						mu.Lock()
						k := next[c]
						next[c]++
						mu.Unlock()
						first := base + (k*perBatch)*int64(time.Millisecond)
						var body bytes.Buffer
						for i := range perBatch {
							ts := first + int64(i)*int64(time.Millisecond)
							fmt.Fprintf(&body, "crash,c=%d value=%g %d\n", c, value(c, ts), ts)
						}
						req, _ := http.NewRequest("POST", "http://"+addr+"/api/v2/write?bucket=b&org=o", &body)
						req.Header.Set("Authorization", "Token "+crashTok)
						resp, err := client.Do(req)
						if err != nil {
							return // killed
						}
						resp.Body.Close()
						if resp.StatusCode != http.StatusNoContent {
							if resp.StatusCode == http.StatusTooManyRequests {
								continue
							}
							t.Errorf("round %d: status %d", round, resp.StatusCode)
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
				t.Fatalf("round %d: the clients stopped before 8 batches were acknowledged: %s", round, stderr.String())
			case <-time.After(60 * time.Second):
				t.Fatalf("round %d: no batches acknowledged: %s", round, stderr.String())
			}
			time.Sleep(time.Duration(r.IntN(150)) * time.Millisecond) // land the kill anywhere
			cmd.Process.Kill()
			cmd.Wait()
			wg.Wait()
			totalAcked += ackedNow

			// Every acknowledged point is there, with its value.
			db, err := sqldb.Open(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			for c := range clients {
				key := fmt.Sprintf("crash,c=%d", c)
				if len(acked[c]) == 0 {
					continue
				}
				res, err := db.QueryPoints(context.Background(), tinhso.PointQuery{Key: key, From: time.Unix(0, base), To: time.Now().Add(time.Hour), Resolution: "raw"})
				if err != nil {
					db.Close()
					t.Fatal(err)
				}
				have := make(map[int64]float64, len(res.Items))
				for _, it := range res.Items {
					have[it.Time.UnixNano()] = it.Value
				}
				for _, first := range acked[c] {
					for i := range perBatch {
						ts := first + int64(i)*int64(time.Millisecond)
						if v, ok := have[ts]; !ok || v != value(c, ts) {
							db.Close()
							t.Fatalf("round %d: client %d: acknowledged point %d is %v (present %v) after the kill", round, c, ts, v, ok)
						}
					}
				}
			}
			db.Close()
		}
		t.Logf("%s: 20 kills, %d batches (%d points) acknowledged and found after each", engine, totalAcked, totalAcked*perBatch)
	})
}
