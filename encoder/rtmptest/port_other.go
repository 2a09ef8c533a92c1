//go:build !linux

package rtmptest

// reservePort, away from Linux, only finds a port that nothing listens on
// at the moment: the listener is closed at once, and another process may
// take the port before the test uses it.
func reservePort() (port int, release func(), err error) {
	port, err = pickPort()
	return port, func() {}, err
}
