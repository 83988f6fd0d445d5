package notify_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/notify"
)

// python finds a Python with aiosmtpd (Debian's python3-aiosmtpd lives in /usr/bin's
// Python, which may not be the first python3 on PATH).
var python = sync.OnceValue(func() string {
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import aiosmtpd").Run() == nil {
			return p
		}
	}
	return ""
})

type received struct {
	MailFrom      string   `json:"mail_from"`
	RcptTos       []string `json:"rcpt_tos"`
	Data          []byte   `json:"data"`
	TLS           bool     `json:"tls"`
	AuthMechanism string   `json:"auth_mechanism"`
	AuthLogin     string   `json:"auth_login"`
}

type smtpServer struct {
	port   int
	msgs   chan received
	stderr *bytes.Buffer
}

// startSMTP runs testdata/smtpd.py (aiosmtpd) on a loopback port and returns once it
// listens.
func startSMTP(t *testing.T, args ...string) *smtpServer {
	t.Helper()
	py := python()
	if py == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no python3 with aiosmtpd (apt-get install python3-aiosmtpd)")
		}
		t.Skip("no python3 with aiosmtpd (apt-get install python3-aiosmtpd)")
	}
	cmd := exec.Command(py, append([]string{"testdata/smtpd.py"}, args...)...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{msgs: make(chan received, 16), stderr: &bytes.Buffer{}}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() {
		stdin.Close() // the server stops when its input closes
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	ready := make(chan int, 1)
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			var r struct {
				Ready *int `json:"ready"`
				received
			}
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				continue
			}
			if r.Ready != nil {
				ready <- *r.Ready
				continue
			}
			s.msgs <- r.received
		}
		cmd.Wait()
	}()
	select {
	case s.port = <-ready:
	case <-done:
		t.Fatalf("the SMTP server did not start:\n%s", s.stderr)
	case <-time.After(30 * time.Second):
		t.Fatalf("the SMTP server did not start in 30 s:\n%s", s.stderr)
	}
	return s
}

// next returns the next message the server received; Send has returned by then, and the
// server reports a message before it answers 250, so it is already on its way.
func (s *smtpServer) next(t *testing.T) received {
	t.Helper()
	select {
	case m := <-s.msgs:
		return m
	case <-time.After(10 * time.Second):
		t.Fatalf("no message arrived:\n%s", s.stderr)
	}
	return received{}
}

func (s *smtpServer) none(t *testing.T) {
	t.Helper()
	select {
	case m := <-s.msgs:
		t.Fatalf("a message arrived: %+v", m)
	default:
	}
}

// testCert makes a self-signed certificate for 127.0.0.1 and returns its files and a
// pool that trusts it.
var testCert = sync.OnceValues(func() ([2]string, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "smtp.test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"smtp.test"},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "notify-smtp-cert")
	if err != nil {
		panic(err)
	}
	files := [2]string{filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")}
	os.WriteFile(files[0], pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(files[1], pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return files, pool
})

func TestMain(m *testing.M) {
	code := m.Run()
	if files, _ := testCert(); files[0] != "" {
		os.RemoveAll(filepath.Dir(files[0]))
	}
	os.Exit(code)
}

func tlsArgs(flag string) []string {
	files, _ := testCert()
	return []string{flag, files[0], files[1]}
}

func config(s *smtpServer, mode notify.TLSMode) notify.SMTPConfig {
	_, pool := testCert()
	return notify.SMTPConfig{
		Host: "127.0.0.1", Port: s.port, TLS: mode, HELO: "tinhso.test",
		From: "ioc@thainguyen.example.vn", FromName: "Trung tâm IOC tỉnh Thái Nguyên",
		TLSConfig: &tls.Config{RootCAs: pool},
		Timeout:   10 * time.Second,
	}
}

func mustMailer(t *testing.T, cfg notify.SMTPConfig) *notify.Mailer {
	t.Helper()
	m, err := notify.NewMailer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// decoded is a received message read back as a mail program would.
type decoded struct {
	rawSubject                          string
	subject, from, fromName, text, html string
}

func decode(t *testing.T, raw []byte) decoded {
	t.Helper()
	for i, b := range raw {
		if b >= 0x80 {
			t.Fatalf("byte %d of the message is not 7-bit: the headers or body are not MIME-encoded", i)
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	rawSubject := msg.Header.Get("Subject")
	d := decoded{rawSubject: rawSubject}
	if d.subject, err = new(mime.WordDecoder).DecodeHeader(rawSubject); err != nil {
		t.Fatal(err)
	}
	from, err := mail.ParseAddress(msg.Header.Get("From"))
	if err != nil {
		t.Fatal(err)
	}
	d.from, d.fromName = from.Address, from.Name
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	read := func(r io.Reader) string {
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return strings.ReplaceAll(string(b), "\r\n", "\n")
	}
	switch mt {
	case "text/plain":
		var body io.Reader = msg.Body
		if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			body = quotedprintable.NewReader(body)
		}
		// The line break that ends the message is the message's, not the text's.
		d.text = strings.TrimSuffix(read(body), "\n")
	case "multipart/alternative":
		mr := multipart.NewReader(msg.Body, params["boundary"])
		for {
			p, err := mr.NextPart() // undoes quoted-printable
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			ct, cp, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
			if !strings.EqualFold(cp["charset"], "utf-8") {
				t.Errorf("part %s has charset %q", ct, cp["charset"])
			}
			switch ct {
			case "text/plain":
				d.text = read(p)
			case "text/html":
				d.html = read(p)
			}
		}
	default:
		t.Fatalf("content type %s", mt)
	}
	return d
}

const (
	viSubject = "[tinhso] 3 thông báo mới: Nhiệm vụ “Chuyển đổi số” quá hạn — Sở Khoa học và Công nghệ tỉnh Thái Nguyên"
	viText    = "Kính gửi đồng chí Giám đốc Sở,\n\nNhiệm vụ 12 \"Xây dựng Trung tâm giám sát, điều hành thông minh\" đã quá hạn 3 ngày.\nĐề nghị cập nhật tiến độ trước 17:00 ngày 05/12/2026.\n\nTrân trọng."
	viHTML    = "<p>Kính gửi đồng chí Giám đốc Sở,</p><p>Nhiệm vụ 12 <b>Xây dựng Trung tâm giám sát, điều hành thông minh</b> đã quá hạn 3 ngày.</p>"
)

func TestEmailVietnamese(t *testing.T) {
	t.Parallel()
	s := startSMTP(t)
	m := mustMailer(t, config(s, notify.TLSOff))
	to := "giam.doc@skhcn.thainguyen.example.vn"
	if errs := m.Send(context.Background(), notify.Email{To: []string{to}, Subject: viSubject, Text: viText, HTML: viHTML}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	r := s.next(t)
	if r.MailFrom != "ioc@thainguyen.example.vn" || len(r.RcptTos) != 1 || r.RcptTos[0] != to || r.TLS {
		t.Errorf("envelope %+v", r)
	}
	d := decode(t, r.Data)
	// 7-bit all through (decode checks), so the subject must be RFC 2047 words.
	if !strings.HasPrefix(strings.ToUpper(d.rawSubject), "=?UTF-8?") {
		t.Errorf("the subject is not RFC 2047-encoded: %q", d.rawSubject)
	}
	if d.subject != viSubject {
		t.Errorf("subject\n got %q\nwant %q", d.subject, viSubject)
	}
	if d.text != viText {
		t.Errorf("text\n got %q\nwant %q", d.text, viText)
	}
	if d.html != viHTML {
		t.Errorf("html\n got %q\nwant %q", d.html, viHTML)
	}
	if d.fromName != "Trung tâm IOC tỉnh Thái Nguyên" || d.from != "ioc@thainguyen.example.vn" {
		t.Errorf("from %q <%s>", d.fromName, d.from)
	}

	// A digest rendered by RenderEmail travels the same way.
	var items []notify.Item
	for i := range 10 {
		items = append(items, overdue(int64(i+1), "user:7", notify.ChannelEmail, notify.Warning, i))
	}
	rd := notify.RenderEmail(notify.Group(items)[0], translator(t, "vi"), notify.RenderOptions{BaseURL: "https://ioc.example.vn"})
	if errs := m.Send(context.Background(), notify.Email{To: []string{to}, Subject: rd.Subject, Text: rd.Text, HTML: rd.HTML}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	d = decode(t, s.next(t).Data)
	if d.subject != "[tinhso] 10 thông báo mới" || d.text != rd.Text || d.html != strings.ReplaceAll(rd.HTML, "\r\n", "\n") {
		t.Errorf("digest: %q\n%s", d.subject, d.text)
	}
	s.none(t)
}

func TestEmailSTARTTLSAndAuth(t *testing.T) {
	t.Parallel()
	s := startSMTP(t, append(tlsArgs("--tls"), "--user", "ioc", "--password", "mật khẩu đúng")...)
	for _, auth := range []notify.AuthMethod{notify.AuthPlain, notify.AuthLogin} {
		cfg := config(s, notify.TLSMandatory)
		cfg.Auth, cfg.Username, cfg.Password = auth, "ioc", "mật khẩu đúng"
		if errs := mustMailer(t, cfg).Send(context.Background(), notify.Email{To: []string{"a@example.vn"}, Subject: "Xin chào", Text: "Thử"}); errs[0] != nil {
			t.Fatalf("%s: %v", auth, errs[0])
		}
		r := s.next(t)
		if !r.TLS || r.AuthMechanism != strings.ToUpper(string(auth)) || r.AuthLogin != "ioc" {
			t.Errorf("%s: tls %v, mechanism %q, login %q", auth, r.TLS, r.AuthMechanism, r.AuthLogin)
		}
	}

	cfg := config(s, notify.TLSMandatory)
	cfg.Auth, cfg.Username, cfg.Password = notify.AuthPlain, "ioc", "sai"
	err := mustMailer(t, cfg).Send(context.Background(), notify.Email{To: []string{"a@example.vn"}, Subject: "x", Text: "x"})[0]
	if err == nil || !strings.Contains(err.Error(), "535") || notify.EmailOutcome(err) != notify.Failed {
		t.Errorf("wrong password: %v (%s)", err, notify.EmailOutcome(err))
	}

	cfg = config(s, notify.TLSMandatory) // the server requires authentication
	err = mustMailer(t, cfg).Send(context.Background(), notify.Email{To: []string{"a@example.vn"}, Subject: "x", Text: "x"})[0]
	if err == nil {
		t.Error("sent without signing in to a server that requires it")
	}
	s.none(t)
}

func TestEmailTLSModes(t *testing.T) {
	t.Parallel()
	plain := startSMTP(t)
	starttls := startSMTP(t, tlsArgs("--tls")...)
	smtps := startSMTP(t, append(tlsArgs("--smtps"), "--user", "ioc", "--password", "pw")...)
	e := notify.Email{To: []string{"a@example.vn"}, Subject: "Chế độ TLS", Text: "Nội dung"}
	send := func(cfg notify.SMTPConfig) error { return mustMailer(t, cfg).Send(context.Background(), e)[0] }

	if err := send(config(plain, notify.TLSMandatory)); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("mandatory, no STARTTLS offered: %v", err)
	}
	plain.none(t)

	if err := send(config(plain, notify.TLSOpportunistic)); err != nil {
		t.Errorf("opportunistic, none offered: %v", err)
	} else if plain.next(t).TLS {
		t.Error("opportunistic without STARTTLS reports TLS")
	}
	for mode, wantTLS := range map[notify.TLSMode]bool{notify.TLSMandatory: true, notify.TLSOpportunistic: true, notify.TLSOff: false} {
		if err := send(config(starttls, mode)); err != nil {
			t.Errorf("%s with STARTTLS offered: %v", mode, err)
		} else if got := starttls.next(t).TLS; got != wantTLS {
			t.Errorf("%s with STARTTLS offered: TLS %v", mode, got)
		}
	}

	untrusted := config(starttls, notify.TLSMandatory)
	untrusted.TLSConfig = nil // the system's roots do not know the test certificate
	if err := send(untrusted); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("untrusted certificate: %v", err)
	}
	starttls.none(t)

	cfg := config(smtps, notify.TLSImplicit)
	cfg.Auth, cfg.Username, cfg.Password = notify.AuthLogin, "ioc", "pw"
	if err := send(cfg); err != nil {
		t.Errorf("implicit TLS: %v", err)
	} else if r := smtps.next(t); !r.TLS || r.AuthLogin != "ioc" {
		t.Errorf("implicit TLS: %+v", r)
	}
}

func TestSendTest(t *testing.T) {
	t.Parallel()
	s := startSMTP(t)
	var dials atomic.Int64
	cfg := config(s, notify.TLSOpportunistic)
	cfg.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	m := mustMailer(t, cfg)
	m.Now = func() time.Time { return time.Date(2026, 12, 1, 2, 30, 0, 0, time.UTC) }
	if err := m.SendTest(context.Background(), "lanh.dao@thainguyen.example.vn", "Nguyễn Thị Hồng Nhung", translator(t, "vi")); err != nil {
		t.Fatal(err)
	}
	if dials.Load() != 1 {
		t.Errorf("the dial hook ran %d times", dials.Load())
	}
	r := s.next(t)
	d := decode(t, r.Data)
	if want := "[tinhso] Thư thử nghiệm từ máy chủ 127.0.0.1"; d.subject != want {
		t.Errorf("subject %q", d.subject)
	}
	want := "Đây là thư thử nghiệm do Nguyễn Thị Hồng Nhung gửi lúc 01/12/2026 09:30 từ trang cài đặt thư điện tử của tinhso, qua máy chủ SMTP 127.0.0.1.\n\nNếu bạn đọc được thư này, cài đặt thư điện tử đã đúng; không cần trả lời."
	if d.text != want {
		t.Errorf("body\n got %q\nwant %q", d.text, want)
	}
	if r.RcptTos[0] != "lanh.dao@thainguyen.example.vn" {
		t.Errorf("to %v", r.RcptTos)
	}

	// The outbound guard refuses a destination with a tinhso error: it reaches the
	// admin as it is.
	cfg.Dial = func(context.Context, string, string) (net.Conn, error) {
		return nil, &tinhso.Error{Code: tinhso.EFORBIDDEN, Key: "netguard.refused.self", Args: tinhso.Args{map[string]any{"host": "127.0.0.1"}}}
	}
	err := mustMailer(t, cfg).SendTest(context.Background(), "a@example.vn", "admin", translator(t, "vi"))
	if tinhso.ErrorCode(err) != tinhso.EFORBIDDEN || notify.EmailOutcome(err) != notify.Failed {
		t.Errorf("refused by the guard: %v", err)
	}
	// Nothing listens: the admin is told why.
	cfg.Dial = nil
	cfg.Port = closedPort(t)
	err = mustMailer(t, cfg).SendTest(context.Background(), "a@example.vn", "admin", translator(t, "vi"))
	if tinhso.ErrorCode(err) != tinhso.EINVALID || tinhso.ErrorKey(err) != "err.notify.test" || !strings.Contains(err.Error(), "refused") {
		t.Errorf("nothing listens: %v", err)
	}
	s.none(t)
}

func closedPort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return p
}

func TestSendSeveral(t *testing.T) {
	t.Parallel()
	s := startSMTP(t)
	m := mustMailer(t, config(s, notify.TLSOff))
	errs := m.Send(context.Background(),
		notify.Email{To: []string{"mot@example.vn"}, Subject: "Một", Text: "1"},
		notify.Email{To: []string{"not an address"}, Subject: "Hai", Text: "2"},
		notify.Email{To: []string{"ba@example.vn"}, Subject: "Ba", Text: "3"},
		notify.Email{Subject: "Bốn", Text: "4"},
	)
	if errs[0] != nil || errs[2] != nil || tinhso.ErrorCode(errs[1]) != tinhso.EINVALID || tinhso.ErrorCode(errs[3]) != tinhso.EINVALID {
		t.Fatalf("%v", errs)
	}
	got := map[string]bool{}
	for range 2 {
		got[decode(t, s.next(t).Data).subject] = true
	}
	if !got["Một"] || !got["Ba"] {
		t.Errorf("%v", got)
	}
	s.none(t)
}

func TestEmailOutcome(t *testing.T) {
	t.Parallel()
	cases := []struct {
		err  error
		want notify.Outcome
	}{
		{nil, notify.Delivered},
		{errors.New("dial tcp 127.0.0.1:25: connect: connection refused"), notify.Retry},
		{errors.New("421 4.7.0 Try again later"), notify.Retry},
		{errors.New("550 5.1.1 no such user"), notify.Failed},
		{fmt.Errorf("send: %w", tinhso.Errorf(tinhso.EFORBIDDEN, "refused")), notify.Failed},
		{context.DeadlineExceeded, notify.Retry},
	}
	for _, tc := range cases {
		if got := notify.EmailOutcome(tc.err); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.err, got, tc.want)
		}
	}
}

func TestSMTPConfig(t *testing.T) {
	t.Parallel()
	cfg := notify.SMTPConfig{Host: "smtp.example.vn", Auth: notify.AuthPlain, Username: "ioc", Password: "mật-khẩu-bí-mật", From: "ioc@example.vn"}
	var b bytes.Buffer
	slog.New(slog.NewJSONHandler(&b, nil)).Info("smtp", "config", cfg)
	slog.New(slog.NewTextHandler(&b, nil)).Info("smtp", "config", cfg)
	all := fmt.Sprintf("%v %+v %#v %s %q %x", cfg, cfg, cfg, cfg, cfg, cfg) + cfg.String() + b.String()
	if strings.Contains(all, "bí-mật") || strings.Contains(all, fmt.Sprintf("%x", "mật")) {
		t.Fatalf("the password leaked:\n%s", all)
	}
	if !strings.Contains(b.String(), `"password":"***"`) {
		t.Errorf("log %s", b.String())
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	for field, bad := range map[string]notify.SMTPConfig{
		"host":     {From: "a@b.vn"},
		"port":     {Host: "h", Port: 70000, From: "a@b.vn"},
		"tls":      {Host: "h", TLS: "starttls", From: "a@b.vn"},
		"auth":     {Host: "h", Auth: "cram-md5", From: "a@b.vn"},
		"username": {Host: "h", Auth: notify.AuthLogin, From: "a@b.vn"},
		"from":     {Host: "h", From: "IOC <a@b.vn>"},
	} {
		var e *tinhso.Error
		if err := bad.Validate(); !errors.As(err, &e) || e.Code != tinhso.EINVALID || e.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
}
