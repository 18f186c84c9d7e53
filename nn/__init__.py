"""chainrule's neural-network library, built on `autograd`."""
