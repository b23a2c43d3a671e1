//! `barong keys rotate`.

use crate::config::Config;
use crate::crypto::jwt;

/// Makes a new JWT signing key; the old one stays published for verification.
pub fn rotate(config: &Config) -> anyhow::Result<()> {
    let (file, dir) = (config.jwt_private_key_file.as_deref(), &config.data_dir);
    let alg = config.jwt_algorithm.to_jwt();
    jwt::rotate(file, dir, alg)?;
    let keys = jwt::JwtKeys::load_or_generate(file, dir, alg)?;
    println!(
        "new signing key {}; published keys: {}",
        keys.kid(),
        keys.published().len()
    );
    println!("restart every instance (with the same key files) to sign with the new key");
    Ok(())
}
