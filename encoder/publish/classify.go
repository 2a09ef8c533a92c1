package publish

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// ErrStalled says a server stopped taking what was sent for Options.Stall:
// no TCP acknowledgement, or a write that blocked that long.
var ErrStalled = errors.New("the server stopped taking data")

// errOverflow says a destination could not keep up with the stream.
var errOverflow = errors.New("the destination could not keep up: its queue overflowed")

// kind is why a connection ended, as far as what comes next is concerned.
type kind int

const (
	kindNetwork  kind = iota // reconnect; counts towards Options.Retries
	kindRejected             // the server refused the stream; counts towards RejectLimit
	kindStopped              // the stream ended: no reconnect
)

// ending is why a connection ended: its kind and the reason, worded for
// a person with every secret hidden.
type ending struct {
	kind kind
	err  error
}

// statusCode finds the code of an RTMP status in a server's reply, such
// as NetStream.Publish.BadName; gortmplib prints replies with %v.
var statusCode = regexp.MustCompile(`Net(Stream|Connection)\.[A-Za-z.]+`)

// refusedByServer reports whether gortmplib's error from Initialize is
// the server's answer to connect or publish, rather than a network fault:
// it says so only as text ("bad result: …" for a connect _error or a
// publish onStatus of level error, and its adobe-auth failures).
func refusedByServer(err error) bool {
	s := err.Error()
	return strings.HasPrefix(s, "bad result:") || s == "credentials are required" || s == "authentication error"
}

// dialEnding words why a connection could not be made. publishSent says
// the server completed connect and createStream and our publish command
// went out; timeout is how long the attempt could take.
func dialEnding(err error, publishSent, timedOut bool, timeout time.Duration, redact func(string) string) ending {
	switch {
	case refusedByServer(err):
		reason := "its reply"
		if code := statusCode.FindString(err.Error()); code != "" {
			reason = code
		}
		return ending{kindRejected, redactErr(redact, ErrRejected, nil, "the server rejected the stream key (%s)", reason)}
	case publishSent && closedByPeer(err):
		// nginx-rtmp answers a publish that on_publish refuses by closing
		// the connection, with no onStatus: see doc.go.
		return ending{kindRejected, redactErr(redact, ErrRejected, err,
			"the server rejected the stream key (it closed the connection in answer to the publish command)")}
	case timedOut:
		return ending{kindNetwork, redactErr(redact, context.DeadlineExceeded, nil,
			"the server did not complete the connection within %s", timeout)}
	}
	if e, ok := tlsEnding(err, redact); ok {
		return e
	}
	return ending{kindNetwork, networkErr(err, redact)}
}

// tlsEnding words a TLS failure: a network-class error, so it is retried,
// with a reason that says what to do.
func tlsEnding(err error, redact func(string) string) (ending, bool) {
	var (
		unknown  x509.UnknownAuthorityError
		invalid  x509.CertificateInvalidError
		hostname x509.HostnameError
		header   tls.RecordHeaderError
		verify   *tls.CertificateVerificationError
	)
	switch {
	case errors.As(err, &unknown), errors.As(err, &invalid):
		return ending{kindNetwork, redactErr(redact, err, err,
			"the server's certificate is not trusted (%v): if it is your own server, pass its CA with --ca-file", innermost(err))}, true
	case errors.As(err, &hostname):
		return ending{kindNetwork, redactErr(redact, err, err,
			"the server's certificate is not for this host (%v): check the server URL", innermost(err))}, true
	case errors.As(err, &header):
		return ending{kindNetwork, redactErr(redact, err, err,
			"the server did not answer in TLS: is it an rtmp:// server rather than rtmps://?")}, true
	case errors.As(err, &verify):
		return ending{kindNetwork, redactErr(redact, err, err, "the server's certificate cannot be verified (%v)", innermost(err))}, true
	}
	return ending{}, false
}

// innermost is the error at the bottom of a chain of single wraps.
func innermost(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// closedByPeer reports whether err says that the other side closed or
// reset the connection.
func closedByPeer(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// networkErr words a network error for a person.
func networkErr(err error, redact func(string) string) error {
	var dns *net.DNSError
	var nerr net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, connRefused):
		return redactErr(redact, err, err, "cannot reach the server (connection refused): nothing listens there; is the server down, or the address wrong?")
	case errors.Is(err, syscall.ECONNRESET):
		return redactErr(redact, err, err, "the server reset the connection")
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.EPIPE):
		return redactErr(redact, err, err, "the server closed the connection")
	case errors.As(err, &dns):
		return redactErr(redact, err, err, "the server's name cannot be found (%v)", err)
	case errors.As(err, &nerr) && nerr.Timeout():
		return redactErr(redact, ErrStalled, err, "%v for the stall limit: a write blocked", ErrStalled)
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return redactErr(redact, err, err, "the server cannot be reached (%v)", err)
	}
	return redactErr(redact, err, err, "the connection failed: %v", err)
}
