package secret_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/secret"
)

const plain = "mật-khẩu SMTP: Đà Lạt 2026!"

func mustKeyring(t *testing.T, keys ...string) *secret.Keyring {
	t.Helper()
	kr, err := secret.NewKeyring(keys[0], keys[1:]...)
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

func env(v string) func(string) string {
	return func(name string) string {
		if name == secret.EnvKey {
			return v
		}
		return ""
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	raw := bytes.Repeat([]byte{0x5a}, 32)
	for name, k := range map[string]string{
		"base64":     base64.StdEncoding.EncodeToString(raw),
		"base64 raw": base64.RawURLEncoding.EncodeToString(raw),
		"hex":        hex.EncodeToString(raw),
		"generated":  secret.GenerateKey(),
		"passphrase": "ba con mèo trèo cây cau, hỏi thăm chú chuột đi đâu vắng nhà",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			kr, err := secret.FromEnv(env("  " + k + "\n"))
			if err != nil {
				t.Fatal(err)
			}
			if !kr.Enabled() || len(kr.KeyID()) != 8 {
				t.Fatalf("enabled %v, key id %q", kr.Enabled(), kr.KeyID())
			}
			a, err := kr.Seal(secret.New(plain))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := kr.Seal(secret.New(plain))
			if a == b {
				t.Error("two seals of one value are equal: the nonce is not random")
			}
			if !strings.HasPrefix(a, "v1:"+kr.KeyID()+":") || strings.Contains(a, "Lạt") {
				t.Errorf("sealed form %q", a)
			}
			got, err := kr.Open(a)
			if err != nil {
				t.Fatal(err)
			}
			if got.Reveal() != plain {
				t.Fatalf("opened %q", got.Reveal())
			}
		})
	}
	// The same key written two ways is the same key.
	a := mustKeyring(t, base64.StdEncoding.EncodeToString(raw))
	b := mustKeyring(t, hex.EncodeToString(raw))
	if a.KeyID() != b.KeyID() {
		t.Errorf("key ids %s and %s", a.KeyID(), b.KeyID())
	}
}

func TestNotSet(t *testing.T) {
	t.Parallel()
	kr := mustKeyring(t, secret.GenerateKey())
	s, err := kr.Seal(secret.New(""))
	if err != nil || s != "" {
		t.Fatalf("sealing no secret: %q %v", s, err)
	}
	o, err := kr.Open("")
	if err != nil || o.IsSet() {
		t.Fatalf("opening nothing: %v %v", o, err)
	}
}

func TestWithoutKey(t *testing.T) {
	t.Parallel()
	kr, err := secret.FromEnv(env(""))
	if err != nil {
		t.Fatal(err)
	}
	var nilKR *secret.Keyring
	for _, k := range []*secret.Keyring{kr, nilKR, {}} {
		if k.Enabled() {
			t.Fatal("enabled without a key")
		}
		_, err := k.Seal(secret.New(plain))
		if !errors.Is(err, secret.ErrNoKey) || tinhso.ErrorCode(err) != tinhso.EINVALID || tinhso.ErrorKey(err) != "secret.no_key" {
			t.Fatalf("seal without a key: %v", err)
		}
		if _, err := k.Open("v1:0a0b0c0d:AAAA"); !errors.Is(err, secret.ErrNoKey) {
			t.Fatalf("open without a key: %v", err)
		}
		if s, err := k.Seal(secret.Secret{}); s != "" || err != nil {
			t.Fatalf("sealing no secret needs no key: %q %v", s, err)
		}
	}
}

func TestBadKeys(t *testing.T) {
	t.Parallel()
	for _, k := range []string{
		"short",
		"tooshortpassphrase1", // 19 characters
		base64.StdEncoding.EncodeToString(make([]byte, 8)), // 8 bytes in base64: 12 characters
		hex.EncodeToString(make([]byte, 8)),                // 16 characters
	} {
		_, err := secret.FromEnv(env(k))
		if tinhso.ErrorCode(err) != tinhso.EINVALID || !strings.Contains(err.Error(), secret.EnvKey) {
			t.Errorf("%q: got %v, want an error naming %s", k, err, secret.EnvKey)
		}
	}
	// 16 random bytes in base64 are 24 characters: long enough for a passphrase, so it
	// is taken as one (the documentation says so), not refused.
	if _, err := secret.FromEnv(env(base64.StdEncoding.EncodeToString(make([]byte, 16)))); err != nil {
		t.Errorf("24 characters: %v", err)
	}
}

func TestTamper(t *testing.T) {
	t.Parallel()
	kr := mustKeyring(t, secret.GenerateKey())
	sealed, err := kr.Seal(secret.New(plain))
	if err != nil {
		t.Fatal(err)
	}
	prefix := sealed[:strings.LastIndexByte(sealed, ':')+1]
	data, err := base64.RawURLEncoding.DecodeString(sealed[len(prefix):])
	if err != nil {
		t.Fatal(err)
	}
	for i := range data {
		d := bytes.Clone(data)
		d[i] ^= 0x01
		_, err := kr.Open(prefix + base64.RawURLEncoding.EncodeToString(d))
		if !errors.Is(err, secret.ErrTampered) {
			t.Fatalf("byte %d flipped: %v", i, err)
		}
	}
	for name, s := range map[string]string{
		"cut short":     prefix + base64.RawURLEncoding.EncodeToString(data[:len(data)-1]),
		"version":       "v2" + sealed[2:],
		"no key id":     "v1:" + sealed[len(prefix):],
		"not base64":    prefix + "!!!!",
		"too short":     prefix + "AAAA",
		"plain text":    plain,
		"other key id":  "v1:00000000:" + sealed[len(prefix):],
		"appended data": sealed + "AA",
	} {
		_, err := kr.Open(s)
		if err == nil {
			t.Errorf("%s: opened", name)
		} else if tinhso.ErrorCode(err) != tinhso.EINTERNAL {
			t.Errorf("%s: code %s", name, tinhso.ErrorCode(err))
		}
	}
}

func TestWrongKeyAndRotation(t *testing.T) {
	t.Parallel()
	oldKey, newKey := secret.GenerateKey(), secret.GenerateKey()
	old := mustKeyring(t, oldKey)
	sealed, err := old.Seal(secret.New(plain))
	if err != nil {
		t.Fatal(err)
	}
	_, err = mustKeyring(t, newKey).Open(sealed)
	if !errors.Is(err, secret.ErrWrongKey) || !strings.Contains(err.Error(), old.KeyID()) {
		t.Fatalf("wrong key: %v", err)
	}
	rotated := mustKeyring(t, newKey, oldKey)
	if !rotated.NeedsReseal(sealed) {
		t.Error("a value sealed with the old key does not need re-sealing")
	}
	s, err := rotated.Open(sealed)
	if err != nil || s.Reveal() != plain {
		t.Fatalf("open with the previous key: %v", err)
	}
	resealed, err := rotated.Seal(s)
	if err != nil || rotated.NeedsReseal(resealed) {
		t.Fatalf("re-seal: %v", err)
	}
	if _, err := old.Open(resealed); !errors.Is(err, secret.ErrWrongKey) {
		t.Errorf("the old key opens a value sealed with the new: %v", err)
	}
}

type config struct {
	Host     string        `json:"host"`
	Password secret.Secret `json:"password"`
	Token    secret.Secret `json:"token"`
	hidden   secret.Secret
	Ptr      *secret.Secret `json:"ptr"`
}

type xmlDoc struct {
	P secret.Secret
}

func TestNoLeak(t *testing.T) {
	t.Parallel()
	s := secret.New(plain)
	c := config{Host: "smtp.example.vn", Password: s, hidden: s, Ptr: &s}
	var out []string
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v", "%10s", "%p"} {
		out = append(out, fmt.Sprintf(f, s), fmt.Sprintf(f, c), fmt.Sprintf(f, &c), fmt.Sprintf(f, []secret.Secret{s}), fmt.Sprintf(f, map[string]any{"k": s}))
	}
	out = append(out, s.String(), s.GoString(), fmt.Sprint(s), fmt.Sprintln(c), fmt.Errorf("wrapped: %v", s).Error())
	j, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, string(j))
	x, err := xml.Marshal(xmlDoc{P: s})
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, string(x))
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("smtp", "password", s, "config", c, slog.Any("ptr", &s))
	slog.New(slog.NewJSONHandler(&js, nil)).Info("smtp", "password", s, "config", c, slog.Group("g", "p", s))
	out = append(out, text.String(), js.String())

	all := strings.Join(out, "\n")
	for _, leak := range []string{plain, "Lạt", hex.EncodeToString([]byte(plain))[:16], strings.ToUpper(hex.EncodeToString([]byte(plain)))[:16]} {
		if strings.Contains(all, leak) {
			t.Fatalf("%q leaked in:\n%s", leak, all)
		}
	}
	if !strings.Contains(string(j), `"password":"***"`) || !strings.Contains(string(j), `"token":null`) {
		t.Errorf("JSON %s", j)
	}
	if !strings.Contains(text.String(), "password=***") {
		t.Errorf("slog text %s", text.String())
	}
	if got := fmt.Sprint(secret.Secret{}); got != secret.NotSet {
		t.Errorf("unset shows %q", got)
	}
	if s.Reveal() != plain {
		t.Error("Reveal")
	}
}

func TestUnmarshalJSON(t *testing.T) {
	t.Parallel()
	var c config
	if err := json.Unmarshal([]byte(`{"password":"`+plain+`","token":null}`), &c); err != nil {
		t.Fatal(err)
	}
	if c.Password.Reveal() != plain || c.Token.IsSet() {
		t.Fatalf("%q %v", c.Password.Reveal(), c.Token.IsSet())
	}
	if err := json.Unmarshal([]byte(`{"password":"***"}`), &c); tinhso.ErrorCode(err) != tinhso.EINVALID {
		t.Fatalf("the placeholder was taken as a secret: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"password":12}`), &c); err == nil {
		t.Fatal("a number was taken as a secret")
	}
	if !secret.New("a").Equal(secret.New("a")) || secret.New("a").Equal(secret.New("b")) || secret.New("").Equal(secret.New("x")) {
		t.Error("Equal")
	}
}
