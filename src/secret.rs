//! The deployment's secret key: signs session cookies and keys card fingerprints.

use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use anyhow::{Context, bail};
use rand::RngCore;

const KEY_BYTES: usize = 32;

/// 32 random bytes kept in a file only the server's user can read.
#[derive(Clone)]
pub struct SecretKey([u8; KEY_BYTES]);

impl SecretKey {
    /// Reads the key file, creating it with mode 0600 on first run.
    pub fn load_or_create(path: &Path) -> anyhow::Result<SecretKey> {
        match std::fs::File::open(path) {
            Ok(mut file) => {
                let mut bytes = Vec::with_capacity(KEY_BYTES);
                file.read_to_end(&mut bytes)
                    .with_context(|| format!("cannot read the secret key {}", path.display()))?;
                let key: [u8; KEY_BYTES] = bytes.try_into().map_err(|bytes: Vec<u8>| {
                    anyhow::anyhow!(
                        "the secret key {} holds {} bytes, expected {KEY_BYTES}",
                        path.display(),
                        bytes.len()
                    )
                })?;
                Ok(SecretKey(key))
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Self::create(path),
            Err(error) => bail!("cannot open the secret key {}: {error}", path.display()),
        }
    }

    fn create(path: &Path) -> anyhow::Result<SecretKey> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create the data folder {}", parent.display()))?;
        }
        let mut key = [0u8; KEY_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut key);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .with_context(|| format!("cannot create the secret key {}", path.display()))?;
        file.write_all(&key)
            .and_then(|()| file.sync_all())
            .with_context(|| format!("cannot write the secret key {}", path.display()))?;
        Ok(SecretKey(key))
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_new_key_is_readable_only_by_its_owner_and_stable_across_loads() {
        let dir = std::env::temp_dir().join(format!("bd-secret-{}", std::process::id()));
        let path = dir.join("secret.key");
        let first = SecretKey::load_or_create(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        let second = SecretKey::load_or_create(&path).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(mode, 0o600);
        assert_eq!(first.bytes(), second.bytes());
    }
}
