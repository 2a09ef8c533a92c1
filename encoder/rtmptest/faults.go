package rtmptest

// Pause stops nginx-rtmp with SIGSTOP, its master process and every child
// of it, as a server that hangs: connections are still accepted by the
// kernel (up to the listen backlog), but nothing is read or answered, and
// data sent to it piles up in the socket buffers until the sender's
// writes block. Its TLS endpoint, if any, is not paused: it accepts, and
// passes the bytes on to the paused nginx. Resume continues it; the test's
// cleanup does too, even when the test fails, so nothing is left stopped.
// Stop and Restart work on a paused server.
//
// nginx runs with "master_process off", so there is one process to stop;
// Pause finds the children by /proc anyway, should that change.
func (s *Server) Pause() {
	s.t.Helper()
	if err := s.rtmp.pause(); err != nil {
		s.t.Fatalf("rtmptest: pausing nginx on %s: %v", s.Addr(), err)
	}
	s.t.Cleanup(s.Resume)
}

// Resume continues the processes Pause stopped with SIGCONT. Resuming a
// server that is not paused does nothing.
func (s *Server) Resume() {
	if err := s.rtmp.resume(); err != nil {
		s.t.Errorf("rtmptest: resuming nginx on %s: %v", s.Addr(), err)
	}
}
