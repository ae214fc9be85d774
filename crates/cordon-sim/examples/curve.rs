//! Prints the daily epidemic curve of one simulated outbreak: infections,
//! reports by cause, positive results, and the national compartments.
//!
//! `cargo run --release -p cordon-sim --example curve -- [small|country] [seed] [days]`

use cordon_sim::{Action, Cause, Country, CountrySpec, Parameters, Scale, Simulation};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let scale = args.next().and_then(|s| Scale::parse(&s)).unwrap_or(Scale::Small);
    let seed: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(1);
    let days: u32 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(90);
    let started = std::time::Instant::now();
    let country = Country::generate(&CountrySpec::of(scale), seed)?;
    let params = Parameters::demo(days);
    let mut sim = Simulation::new(&country, params, seed)?;
    println!("built {} units, {} residents in {:?}", country.units.len(), sim.population(), started.elapsed());
    println!("day  infected  outbreak  background  positive  S E I R");
    let mut before = sim.totals();
    for _ in 0..days {
        let day = sim.day();
        let actions = sim.step();
        let count = |f: &dyn Fn(&Action) -> bool| actions.iter().filter(|a| f(&a.action)).count();
        let outbreak = count(&|a| matches!(a, Action::Report(r) if r.cause == Cause::Outbreak));
        let background = count(&|a| matches!(a, Action::Report(r) if r.cause == Cause::Background));
        let positive = count(&|a| matches!(a, Action::LabResult { positive: true, .. }));
        let t = sim.totals();
        let c = sim.national();
        println!(
            "{day:>3} {:>9} {outbreak:>9} {background:>11} {positive:>9}  {} {} {} {}",
            t.infections - before.infections,
            c.s,
            c.e,
            c.i,
            c.r
        );
        before = t;
    }
    println!("{:?}\nmeasures from day {:?}; {:?} in all", sim.totals(), sim.measures_from(), started.elapsed());
    Ok(())
}
