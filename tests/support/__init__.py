"""What tests share and the product must not ship: real migrated databases (`databases`,
`postgres`), data factories and a scripted `MessageSender` (`factories`), and the pytest
fixtures built on them (`fixtures`)."""
