package publish

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// TLSConfig verifies rtmps:// servers against the system's roots and,
// when caFile is not empty, the certificates of that PEM file as well,
// for a self-hosted server with a CA of its own. It never skips
// verification.
func TLSConfig(caFile string) (*tls.Config, error) {
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool() // no system roots here: the CA file alone
	}
	if caFile == "" {
		return &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}, nil
	}
	b, err := os.ReadFile(caFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("CA file %s: there is no such file", caFile)
	}
	if err != nil {
		return nil, fmt.Errorf("CA file %s: %w", caFile, err)
	}
	certs, err := pemCertificates(b)
	if err != nil {
		return nil, fmt.Errorf("CA file %s: %w", caFile, err)
	}
	for _, c := range certs {
		roots.AddCert(c)
	}
	return &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}, nil
}

// pemCertificates parses every CERTIFICATE block of a PEM file.
func pemCertificates(b []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	blocks := 0
	for {
		var block *pem.Block
		block, b = pem.Decode(b)
		if block == nil {
			break
		}
		blocks++
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("certificate %d cannot be read: %w", len(certs)+1, err)
		}
		certs = append(certs, c)
	}
	switch {
	case blocks == 0:
		return nil, errors.New("it is not a PEM file (no -----BEGIN block): give the CA certificate in PEM form")
	case len(certs) == 0:
		return nil, fmt.Errorf("it has %d PEM blocks but no CERTIFICATE among them", blocks)
	}
	return certs, nil
}
