pub struct DemoSize { pub people: usize }
impl DemoSize { pub fn with_people(people: usize) -> Self { DemoSize { people } } }
pub struct DemoCounts { pub organizations: usize, pub people: usize, pub interactions: usize }
pub fn write_demo<W: std::io::Write>(_out: &mut W, _size: &DemoSize, _seed: u64) -> std::io::Result<DemoCounts> {
    Ok(DemoCounts { organizations: 0, people: 0, interactions: 0 })
}
